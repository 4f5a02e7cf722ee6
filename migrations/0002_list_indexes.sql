-- Indexes for lists at scale (a million customers): each common order of the customer list
-- has an index it can be read in, so a page of 100 comes off the index instead of sorting
-- every match, and the class filter counts from an index instead of reading every row.
DROP INDEX customers_region;
CREATE INDEX customers_region ON customers (province, city, name, id);
CREATE INDEX customers_created ON customers (created_at, id);
CREATE INDEX customers_class_name ON customers (customer_class, name, id);
CREATE INDEX customers_department_updated ON customers (department_id, updated_at, id);
CREATE INDEX customers_owner_updated ON customers (owner_id, updated_at, id);
