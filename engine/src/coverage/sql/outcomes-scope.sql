-- The published results a question is about: year (the task's plan year), city, department, industry, tier; NULL: all.
CREATE OR REPLACE TEMP MACRO outcomes_scope(in_year, in_city, in_department, in_industry, in_tier) AS TABLE
  SELECT * FROM outcomes_results
  WHERE (in_year IS NULL OR year = in_year)
    AND (in_city IS NULL OR city_code = in_city)
    AND (in_department IS NULL OR department_code = in_department)
    AND (in_industry IS NULL OR industry_code = in_industry)
    AND (in_tier IS NULL OR tier = in_tier);
