-- Runs once, when the PostgreSQL data volume is first created (docker-entrypoint-initdb.d).
-- One database per service (DESIGN.md, Data); each service's migrations create its tables.
-- Add a line here when a service with a database is added.
-- An existing volume is not re-initialised: create a new database by hand there
-- (`docker compose exec postgres psql -U dg -d postgres -c 'CREATE DATABASE scoring'`), or
-- `docker compose down -v` to start over.
CREATE DATABASE registry;
CREATE DATABASE gateway;
CREATE DATABASE intake;
CREATE DATABASE scoring;
CREATE DATABASE notifications;
CREATE DATABASE awards;
