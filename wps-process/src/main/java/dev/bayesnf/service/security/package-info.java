/**
 * Accounts and what callers may do: roles (viewer, forecaster, analyst, admin), accounts with
 * BCrypt password hashes and hashed API tokens, the principal of each request, and the rate of
 * Execute requests per caller.
 *
 * <p>Owns: authentication and the per-caller identity limits count by. Must not import the front
 * ends or the processes; accounts are stored through the job store's database.
 */
package dev.bayesnf.service.security;
