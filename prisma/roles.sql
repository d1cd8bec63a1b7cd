-- For deployments that separate database roles (等保: least privilege).
-- Run as the owner after `npm run db:migrate`; the application connects as greenlane_app.
-- The audit trail is append-only for the application: no UPDATE, DELETE or TRUNCATE.
CREATE ROLE greenlane_app LOGIN PASSWORD 'change-me';
GRANT USAGE ON SCHEMA public TO greenlane_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO greenlane_app;
REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM greenlane_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO greenlane_app;
