-- Scoped counts answered from an index alone: a manager's or a rep's customers filtered by
-- class, kind or province, and contacts filtered by personality or buying role, are counted
-- from index entries instead of reading every matching row.
CREATE INDEX customers_department_facets ON customers (department_id, customer_class, kind, province);
CREATE INDEX customers_owner_facets ON customers (owner_id, customer_class, kind, province);
CREATE INDEX contacts_customer_facets ON contacts (customer_id, personality, buying_role);
