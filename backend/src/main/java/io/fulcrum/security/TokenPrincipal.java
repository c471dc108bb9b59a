package io.fulcrum.security;

/**
 * Who a valid token authenticates: its id and kind, the name that audit entries record, and
 * for a PERSONAL token the owner's role.
 */
public record TokenPrincipal(long tokenId, TokenKind kind, String name, String owner, Role ownerRole) {}
