-- Where a region is, as people read it: a district with its city ('深圳市 南山区', 'Nanshan, Shenzhen'), a city or a
-- province by its own name. One row per region; the visit sheet and an entity's record join it on objects.region_code.
CREATE VIEW region_labels AS
SELECT district.code,
  concat_ws(' ', city.name_zh, district.name_zh) AS name_zh,
  concat_ws(', ', district.name_en, city.name_en) AS name_en
FROM regions district
LEFT JOIN regions city ON city.code = CASE WHEN district.level = 'district' THEN district.parent_code END;
