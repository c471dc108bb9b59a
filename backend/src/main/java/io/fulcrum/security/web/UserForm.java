package io.fulcrum.security.web;

/** The create-user form: a name, a first password (changed at the first sign-in) and a role. */
public class UserForm {

    private String username;
    private String password;
    private String role = "VIEWER";

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public String getRole() {
        return role;
    }

    public void setRole(String role) {
        this.role = role;
    }
}
