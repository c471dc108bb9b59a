package io.fulcrum.system;

import java.net.URI;

/** The problem types Fulcrum's API answers with (RFC 7807 {@code type} members). */
public final class ProblemTypes {

    public static final URI INVALID_INPUT = URI.create("urn:fulcrum:problem:invalid-input");
    public static final URI MALFORMED_REQUEST = URI.create("urn:fulcrum:problem:malformed-request");
    public static final URI UNSUPPORTED_MEDIA_TYPE = URI.create("urn:fulcrum:problem:unsupported-media-type");
    public static final URI BODY_TOO_LARGE = URI.create("urn:fulcrum:problem:body-too-large");
    public static final URI CONFLICT = URI.create("urn:fulcrum:problem:conflict");
    public static final URI NOT_FOUND = URI.create("urn:fulcrum:problem:not-found");

    private ProblemTypes() {}
}
