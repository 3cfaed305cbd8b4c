-- A handoff code stands on the sign-in of the hosted page's session that asked for it (POST /api/v1/auth/handoff):
-- the app's new session inherits that session's proof of identity (`auth_time`), never a fresher one, and the code
-- is refused once that session has ended (checked when it is exchanged). `code_challenge`: the app's optional
-- PKCE-style binding (base64url of the sha256 of a verifier only the app knows, S256).
alter table handoff_codes add column if not exists session_auth_time timestamptz;
alter table handoff_codes add column if not exists code_challenge text;
