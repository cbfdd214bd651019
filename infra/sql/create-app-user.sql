-- Creates (or re-syncs) the application's least-privilege login role.
-- Run by the CreateAppUserTask as the RDS master user (docs/deploy.md), with psql variables:
--   app_user      the role name (myfile_app)
--   app_password  its password, from the <env>/db/app-user secret
--   db_name       the database (myfile)
-- Safe to run again: it only converges the role, its password and its grants.

\set ON_ERROR_STOP on
SET client_min_messages = warning;

SELECT format('CREATE ROLE %I LOGIN', :'app_user')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app_user') \gexec

-- NOSUPERUSER etc. are the defaults; stated so a later change to the role is visible here.
SELECT format(
  'ALTER ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS CONNECTION LIMIT 200 PASSWORD %L',
  :'app_user', :'app_password'
) \gexec

-- Nobody but the owner and the app may connect or create objects.
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'db_name') \gexec
SELECT format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', :'db_name', :'app_user') \gexec
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- The schema is owned by the master user, who runs migrations (MigrateTask); the app only
-- reads and writes rows (the durable job queue is a table in it too).
SELECT format('GRANT USAGE ON SCHEMA public TO %I', :'app_user') \gexec
SELECT format(
  'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I',
  :'app_user'
) \gexec
SELECT format(
  'GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO %I',
  :'app_user'
) \gexec
SELECT format('GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO %I', :'app_user') \gexec

-- Tables, sequences and functions that later migrations create get the same grants.
SELECT format(
  'ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO %I',
  current_user, :'app_user'
) \gexec
SELECT format(
  'ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO %I',
  current_user, :'app_user'
) \gexec
SELECT format(
  'ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA public GRANT EXECUTE ON FUNCTIONS TO %I',
  current_user, :'app_user'
) \gexec
