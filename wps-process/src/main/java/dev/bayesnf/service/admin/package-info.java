/**
 * Administration over HTTP: the accounts ({@code /admin/users}), for callers with the admin role,
 * while the service runs.
 *
 * <p>Owns: the administration resources and their JSON. Imports the HTTP layer (as an
 * {@link dev.bayesnf.service.http.Endpoint}) and the accounts; must not import the front ends,
 * jobs or processes.
 */
package dev.bayesnf.service.admin;
