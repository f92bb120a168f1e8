CREATE TABLE currency (code char(3) PRIMARY KEY, name text NOT NULL);
INSERT INTO currency VALUES ('EUR', 'Euro'), ('USD', 'US dollar'), ('GBP', 'Pound sterling'),
  ('JPY', 'Yen'), ('CHF', 'Swiss franc');
