-- Scopes of a coverage answer, as table macros over the year's tables: a department (NULL: all) and a city (NULL: all).
-- A task is in a department's scope when the department takes part; in a city's when a scope region covers the city
-- (the province, the city itself, or a district of it).
CREATE OR REPLACE TEMP MACRO coverage_scope_tasks(department, city) AS TABLE
  SELECT * FROM coverage_tasks
  WHERE (department IS NULL OR list_contains(departments, department))
    AND (city IS NULL OR len(list_filter(regions, lambda r: right(r, 4) = '0000' OR left(r, 4) = left(city, 4))) > 0);

-- Objects drawn by the scope's tasks, located in the city.
CREATE OR REPLACE TEMP MACRO coverage_scope_selection(department, city) AS TABLE
  SELECT * FROM coverage_selection
  WHERE task_id IN (SELECT task_id FROM coverage_scope_tasks(department, city))
    AND (city IS NULL OR city_code = city);

-- Results due from the department (its own items) for objects in the city.
CREATE OR REPLACE TEMP MACRO coverage_scope_assignments(department, city) AS TABLE
  SELECT * FROM coverage_assignments
  WHERE (department IS NULL OR department_code = department)
    AND (city IS NULL OR city_code = city);

-- Items in force at any time in the year (one row per item code, whatever its versions), of the department.
CREATE OR REPLACE TEMP MACRO coverage_items_in_force(year, department) AS TABLE
  SELECT DISTINCT code, department_code FROM items
  WHERE valid_from <= make_date(year, 12, 31) AND (valid_to IS NULL OR valid_to >= make_date(year, 1, 1))
    AND (department IS NULL OR department_code = department);

-- The yearly target of a tier's entities under the policy: fd1's quota rule (ceil, at least 1, at most all).
CREATE OR REPLACE TEMP MACRO coverage_target(entities, target_bp) AS
  CASE WHEN entities = 0 OR target_bp = 0 THEN 0
       ELSE least(entities, greatest(1, (CAST(target_bp AS BIGINT) * entities + 9999) // 10000)) END;

-- num / den, NULL when den is 0.
CREATE OR REPLACE TEMP MACRO coverage_rate(num, den) AS CASE WHEN den = 0 THEN NULL ELSE num / den END;
