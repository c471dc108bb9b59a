-- The seeded Census-income group named its income label income_50k, a column the census-income
-- preset does not produce (it names it income), so a study of the seeded group on the imported file
-- was refused. Installations seeded before the fix get the preset's name, and the group a new version,
-- as an edit would give it; an income task that names any other column is left as it is.
WITH fixed AS (
    UPDATE task
       SET label_column = 'income'
     WHERE name = 'income'
       AND label_column = 'income_50k'
       AND task_group_id IN (SELECT id FROM task_group WHERE name = 'Census-income')
 RETURNING task_group_id
)
UPDATE task_group
   SET version = version + 1,
       updated_at = now()
 WHERE id IN (SELECT task_group_id FROM fixed);
