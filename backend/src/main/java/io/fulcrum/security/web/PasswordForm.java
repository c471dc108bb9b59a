package io.fulcrum.security.web;

/** The change-password form: the current password, the new one, and the new one again. */
public class PasswordForm {

    private String currentPassword;
    private String newPassword;
    private String repeatPassword;

    /** A form shown again after an error never sends a password back to the browser. */
    void forget() {
        currentPassword = null;
        newPassword = null;
        repeatPassword = null;
    }

    public String getCurrentPassword() {
        return currentPassword;
    }

    public void setCurrentPassword(String currentPassword) {
        this.currentPassword = currentPassword;
    }

    public String getNewPassword() {
        return newPassword;
    }

    public void setNewPassword(String newPassword) {
        this.newPassword = newPassword;
    }

    public String getRepeatPassword() {
        return repeatPassword;
    }

    public void setRepeatPassword(String repeatPassword) {
        this.repeatPassword = repeatPassword;
    }
}
