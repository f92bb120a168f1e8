CREATE TABLE orders (
  id bigserial PRIMARY KEY,
  currency char(3) NOT NULL REFERENCES currency(code),
  amount_cents integer NOT NULL CONSTRAINT orders_amount_positive CHECK (amount_cents > 0)
);
