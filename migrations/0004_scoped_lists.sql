-- Lists and searches for a manager or a sales rep at a million customers: every sort of the
-- customer list has an index that starts with the department or the owner, so a scoped page
-- of 100 comes off an index in order instead of sorting a quarter of the table.
CREATE INDEX customers_owner_created ON customers (owner_id, created_at, id);
CREATE INDEX customers_department_created ON customers (department_id, created_at, id);
CREATE INDEX customers_owner_region ON customers (owner_id, province, city, name, id);
CREATE INDEX customers_department_region ON customers (department_id, province, city, name, id);
CREATE INDEX customers_owner_class ON customers (owner_id, customer_class, name, id);
CREATE INDEX customers_department_class ON customers (department_id, customer_class, name, id);

-- Who may see a customer, answered from a small index that stays in memory instead of from
-- the customer's row: scoped contact lists and searches test it once per candidate row.
CREATE INDEX customers_scope ON customers (id, owner_id, department_id);

-- The contact list walks contacts in name order and tests each contact's customer (and the
-- personality or buying-role filter); with those in the index the walk reads no contact rows
-- but the hundred it shows.
DROP INDEX contacts_name;
CREATE INDEX contacts_name ON contacts (name, id, customer_id, personality, buying_role);

-- Search terms keyed with their customer, so a scoped search reads the term index alone and
-- the scope index above, never the term rows. (A table cannot change its primary key in
-- place on SQLite, so the table is rebuilt.)
CREATE TABLE search_terms_keyed (
    term TEXT NOT NULL,
    entity TEXT NOT NULL CHECK (entity IN ('customer', 'contact')),
    entity_id TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    PRIMARY KEY (term, entity, entity_id, customer_id)
);
INSERT INTO search_terms_keyed (term, entity, entity_id, customer_id)
    SELECT term, entity, entity_id, customer_id FROM search_terms;
DROP TABLE search_terms;
ALTER TABLE search_terms_keyed RENAME TO search_terms;
CREATE INDEX search_terms_entity ON search_terms (entity_id);

-- Each contact carries its customer's owner and department (kept equal on every write by
-- the store), so a manager's or rep's contact list and its count read one index in name
-- order instead of testing every contact's customer. The personality and buying role are in
-- the index so filtered pages and counts read no rows. (An index on scope and personality
-- alone made the planner sort every matching contact of a department instead.)
ALTER TABLE contacts ADD COLUMN owner_id TEXT;
ALTER TABLE contacts ADD COLUMN department_id TEXT;
UPDATE contacts SET
    owner_id = (SELECT c.owner_id FROM customers c WHERE c.id = contacts.customer_id),
    department_id = (SELECT c.department_id FROM customers c WHERE c.id = contacts.customer_id);
CREATE INDEX contacts_owner_name ON contacts (owner_id, name, id, personality, buying_role);
CREATE INDEX contacts_department_name ON contacts (department_id, name, id, personality, buying_role);
