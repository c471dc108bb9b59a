package io.fulcrum.security.web;

/** Where the token API's rules land on the token forms. */
final class TokenForms {

    private TokenForms() {}

    /** The API takes an instant, the form a day. */
    static String formField(String apiField) {
        return "expiresAt".equals(apiField) ? "expiresOn" : apiField;
    }
}
