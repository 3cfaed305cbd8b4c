-- Emails are stored in the kit's canonical form (normalizeEmail): Unicode NFKC, no hidden characters.
-- Domains were ASCII and lower-cased already, so only local parts can change. A row whose canonical form
-- would collide with another account's address is left as it was (it cannot be merged automatically).
with canonical as (
  select id, normalize(regexp_replace(email, E'[\\u00AD\\u034F\\u061C\\u115F\\u1160\\u17B4\\u17B5\\u180B-\\u180F\\u200B-\\u200F\\u202A-\\u202E\\u2060-\\u206F\\u3164\\uFE00-\\uFE0F\\uFEFF\\uFFA0]', '', 'g'), NFKC) as email
  from users
  where email is not null
), changed as (
  select c.id, c.email, row_number() over (partition by lower(c.email) order by c.id) as nth
  from canonical c join users u on u.id = c.id
  where u.email <> c.email
)
update users u set email = changed.email
from changed
where u.id = changed.id and changed.nth = 1
  and not exists (select 1 from users other where other.id <> u.id and lower(other.email) = lower(changed.email));
