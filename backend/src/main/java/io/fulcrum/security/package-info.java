/**
 * Who may do what: dashboard users with a role (VIEWER, ENGINEER, ADMIN) signing in with a form,
 * API tokens (personal, worker, serving) sent as {@code Authorization: Bearer}, the rules that map
 * every endpoint to the role it needs, and the audit log of state changes.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Security")
package io.fulcrum.security;
