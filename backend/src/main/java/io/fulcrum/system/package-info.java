/**
 * What every feature shares: RFC 7807 error handling, paging of listings and the dashboard's
 * front page.
 */
@org.springframework.modulith.ApplicationModule(displayName = "System")
package io.fulcrum.system;
