-- The application's own PostgreSQL role, run as the server administrator by the database-role job
-- (infra/modules/database-role, started by deploy/database-role.sh) with psql >= 15. Idempotent: every run
-- (re)applies the privileges and sets the role's password, which is how the password is rotated.
-- Environment: APP_ROLE (iot_app), APP_DATABASE (iot), APP_PASSWORD; PG* for the administrator's connection.
--
-- Exactly the privileges the service needs, including the restore swap's (a new database migrated, then
-- swapped with the live one by renaming, the replaced copy dropped after an undo window):
--   LOGIN, CREATEDB               restore target and drill databases
--   owner of the database         its schema and data; renaming and dropping its own databases
--   CONNECT on postgres           a maintenance connection while the application database is renamed
--   (no pg_signal_backend)        a role may already end the sessions of its own role (pg_terminate_backend)
-- and nothing else: not SUPERUSER, CREATEROLE, REPLICATION or BYPASSRLS (checked, see below).
\set ON_ERROR_STOP on
\getenv app_role APP_ROLE
\getenv app_database APP_DATABASE
\getenv app_password APP_PASSWORD
\if :{?app_password}
\else
  DO $$ BEGIN RAISE EXCEPTION 'APP_ROLE, APP_DATABASE and APP_PASSWORD must be set'; END $$;
\endif

SELECT format('CREATE ROLE %I LOGIN', :'app_role')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'app_role') \gexec
ALTER ROLE :"app_role" WITH LOGIN CREATEDB NOCREATEROLE INHERIT;
ALTER ROLE :"app_role" WITH PASSWORD :'app_password';
-- A new role has none of these and an administrator that is not a superuser (Azure's) could not grant them;
-- a role that has one anyway (created by hand by a superuser) is refused rather than used.
SELECT NOT (rolsuper OR rolreplication OR rolbypassrls) AS least_privilege
  FROM pg_roles WHERE rolname = :'app_role' \gset
\if :least_privilege
\else
  DO $$ BEGIN RAISE EXCEPTION 'the application role is SUPERUSER, REPLICATION or BYPASSRLS: drop those first'; END $$;
\endif

-- The administrator hands its database over: PostgreSQL requires it to be able to SET ROLE to the new owner.
SELECT format('GRANT %I TO CURRENT_USER', :'app_role')
  WHERE NOT pg_has_role(CURRENT_USER, :'app_role', 'MEMBER') \gexec

SELECT format('CREATE DATABASE %I OWNER %I', :'app_database', :'app_role')
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'app_database') \gexec
ALTER DATABASE :"app_database" OWNER TO :"app_role";
REVOKE CONNECT, TEMPORARY ON DATABASE :"app_database" FROM PUBLIC;
SELECT format('GRANT CONNECT ON DATABASE postgres TO %I', :'app_role')
  WHERE NOT has_database_privilege(:'app_role', 'postgres', 'CONNECT') \gexec
SELECT has_database_privilege(:'app_role', 'postgres', 'CONNECT') AS maintenance_connect \gset
\if :maintenance_connect
\else
  DO $$ BEGIN RAISE EXCEPTION 'the application role cannot connect to the postgres database'; END $$;
\endif

-- Tables, sequences and functions created by earlier releases while the app still connected as the
-- administrator now belong to the application role.
\connect :"app_database"
REASSIGN OWNED BY CURRENT_USER TO :"app_role";
\echo role :app_role owns :app_database
