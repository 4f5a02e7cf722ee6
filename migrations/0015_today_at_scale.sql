-- Today at scale (a million customers, twelve million tasks, reps with thousands of open
-- tasks due): the owner's index carries the id, so the first page of a rep's open tasks in
-- (due date, id) order is read straight off it instead of sorting every task due that day;
-- the department's carries the owner, so a manager's count of the team's open work per rep
-- reads index entries only instead of hundreds of thousands of table rows.
DROP INDEX tasks_owner_due;
CREATE INDEX tasks_owner_due ON tasks (owner_id, status, due_date, id);
DROP INDEX tasks_department_due;
CREATE INDEX tasks_department_due ON tasks (department_id, status, due_date, owner_id);
