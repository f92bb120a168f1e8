INSERT INTO tenants (name) VALUES ('acme'), ('globex'), ('initech'), ('umbrella'), ('hooli'), ('stark');
INSERT INTO accounts (tenant_id, email, balance_cents)
SELECT t.id, 'user' || g || '@' || t.name || '.com', 1000
FROM tenants t, generate_series(1, 3) g;
-- The seed is not an audited change.
TRUNCATE audit_log;
