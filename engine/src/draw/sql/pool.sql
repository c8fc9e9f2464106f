-- Pool of one team-spec entry: one row per inspector of the entry's department ($department) who is active, within the
-- plan's jurisdiction ($area), whose specialties cover every item of that department in the task ($specialties, JSON
-- text), and who is either a certified officer (certificate valid on the window's first day, open ends allowed) or, for
-- a `:expert` entry ($expert), an expert or third party.
SELECT i.id AS inspector_id
FROM inspectors i
WHERE i.department_code = $department
  AND i.active
  AND CASE WHEN $expert::BOOLEAN THEN i.kind IN ('expert', 'third_party')
      ELSE i.kind = 'officer'
        AND i.certificate_no IS NOT NULL AND i.certificate_no <> ''
        AND coalesce(i.certificate_valid_from <= $window_start::DATE, true)
        AND coalesce(i.certificate_valid_to >= $window_start::DATE, true)
      END
  AND CASE WHEN $area LIKE '__0000' THEN left(i.region_code, 2) = left($area, 2)
           WHEN $area LIKE '____00' THEN left(i.region_code, 4) = left($area, 4)
           ELSE i.region_code = $area END
  AND list_has_all(i.specialties, CAST($specialties::JSON AS VARCHAR[]))
