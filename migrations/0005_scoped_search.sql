-- Search terms carry their customer's owner and department (kept equal on every write by the
-- store, like contacts), so a manager's or rep's search filters inside the term index as it
-- walks it in term order, instead of testing every candidate's customer: a rep's two-letter
-- search at a million customers read about 4,000 candidates, each a lookup of its customer.
-- The customer id is no longer needed: a customer's own terms have it as entity_id, and the
-- scope columns replace the join. (SQLite cannot change a table's key in place: rebuilt.)
CREATE TABLE search_terms_scoped (
    term TEXT NOT NULL,
    entity TEXT NOT NULL CHECK (entity IN ('customer', 'contact')),
    entity_id TEXT NOT NULL,
    owner_id TEXT,
    department_id TEXT
);
INSERT INTO search_terms_scoped (term, entity, entity_id, owner_id, department_id)
    SELECT st.term, st.entity, st.entity_id, c.owner_id, c.department_id
    FROM search_terms st JOIN customers c ON c.id = st.customer_id;
DROP TABLE search_terms;
ALTER TABLE search_terms_scoped RENAME TO search_terms;
-- Every column is in the key, so each search reads this index alone, never the term rows.
-- (The owner and department may be NULL, which a primary key does not allow.)
CREATE UNIQUE INDEX search_terms_term ON search_terms (term, entity, entity_id, owner_id, department_id);
CREATE INDEX search_terms_entity ON search_terms (entity_id);
