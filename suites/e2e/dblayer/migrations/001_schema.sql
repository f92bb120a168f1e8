-- A database layer as the users' plans describe one: tenants, accounts with
-- constraints, an audit trigger, row-level security for the application role.
CREATE TABLE tenants (id serial PRIMARY KEY, name text NOT NULL UNIQUE);

CREATE TABLE accounts (
  id serial PRIMARY KEY,
  tenant_id int NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  email text NOT NULL CONSTRAINT accounts_email_valid CHECK (email ~ '^[^@ ]+@[^@ ]+\.[a-z]+$'),
  balance_cents bigint NOT NULL DEFAULT 0 CONSTRAINT accounts_balance_not_negative CHECK (balance_cents >= 0),
  CONSTRAINT accounts_email_unique_per_tenant UNIQUE (tenant_id, email)
);

CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  table_name text NOT NULL,
  op text NOT NULL,
  row_id int,
  at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION audit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO audit_log (table_name, op, row_id) VALUES (TG_TABLE_NAME, TG_OP, COALESCE(NEW.id, OLD.id));
  RETURN COALESCE(NEW, OLD);
END
$$;

CREATE TRIGGER accounts_audit AFTER INSERT OR UPDATE OR DELETE ON accounts
  FOR EACH ROW EXECUTE FUNCTION audit();

ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON accounts
  USING (tenant_id = current_setting('app.tenant_id', true)::int);
