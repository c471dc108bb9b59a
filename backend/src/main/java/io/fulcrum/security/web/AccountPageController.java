package io.fulcrum.security.web;

import io.fulcrum.security.ApiTokens;
import io.fulcrum.security.IssuedToken;
import io.fulcrum.security.TokenKind;
import io.fulcrum.security.UserAccounts;
import io.fulcrum.security.Viewer;
import io.fulcrum.security.internal.ForcedPasswordChange;
import io.fulcrum.system.FormErrors;
import io.fulcrum.system.InvalidInputException;
import io.fulcrum.system.NotFoundException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The signed-in user's own page: change the password, create and revoke personal tokens. */
@Controller
@RequestMapping("/account")
class AccountPageController {

    static final String ACCOUNT_VIEW = "account/account";
    static final String PASSWORD_VIEW = "account/password";
    static final String TOKEN_CREATED_VIEW = "account/token-created";

    private final UserAccounts users;
    private final ApiTokens tokens;

    AccountPageController(UserAccounts users, ApiTokens tokens) {
        this.users = users;
        this.tokens = tokens;
    }

    @GetMapping
    String account(Model model) {
        model.addAttribute("passwordForm", new PasswordForm());
        model.addAttribute("tokenForm", new TokenForm());
        return accountView(model);
    }

    @GetMapping("/password")
    String passwordPage(Model model) {
        model.addAttribute("passwordForm", new PasswordForm());
        return PASSWORD_VIEW;
    }

    /**
     * Serves both the account page and the page a user who must change their password is kept on;
     * after a forced change the user lands on the dashboard.
     */
    @PostMapping("/password")
    String changePassword(
            @ModelAttribute("passwordForm") PasswordForm form,
            BindingResult binding,
            HttpServletRequest request,
            Model model,
            RedirectAttributes redirect) {
        boolean forced = ForcedPasswordChange.required(request);
        try {
            if (form.getNewPassword() != null && !form.getNewPassword().equals(form.getRepeatPassword())) {
                binding.rejectValue("repeatPassword", "fulcrum.match", "does not match the new password");
            }
            if (!binding.hasErrors()) {
                users.changePassword(username(), form.getCurrentPassword(), form.getNewPassword());
                ForcedPasswordChange.done(request);
                redirect.addFlashAttribute("message", "Your password was changed");
                return forced ? "redirect:/overview" : "redirect:/account";
            }
        } catch (InvalidInputException e) {
            FormErrors.reject(binding, e.violations(), field -> field);
        }
        form.forget();
        if (forced || "password".equals(request.getParameter("from"))) {
            return PASSWORD_VIEW;
        }
        model.addAttribute("tokenForm", new TokenForm());
        return accountView(model);
    }

    /** Creates a personal token and shows its secret on the next page, the only time it is shown. */
    @PostMapping("/tokens")
    String createToken(@ModelAttribute("tokenForm") TokenForm form, BindingResult binding, Model model) {
        if (!binding.hasErrors()) {
            try {
                IssuedToken issued =
                        tokens.issue(username(), form.getName(), TokenKind.PERSONAL.name(), form.expiresAt(), false);
                model.addAttribute("issued", issued);
                model.addAttribute("backTo", "/account");
                return TOKEN_CREATED_VIEW;
            } catch (InvalidInputException e) {
                FormErrors.reject(binding, e.violations(), TokenForms::formField);
            }
        }
        model.addAttribute("passwordForm", new PasswordForm());
        return accountView(model);
    }

    /** Revokes one of the user's own tokens; an admin revokes others' on the admin page. */
    @PostMapping("/tokens/{id}/revoke")
    String revokeToken(@PathVariable long id, RedirectAttributes redirect) {
        try {
            String name = tokens.revoke(id, username(), false).name();
            redirect.addFlashAttribute("message", "Token '" + name + "' revoked");
        } catch (NotFoundException e) {
            redirect.addFlashAttribute("error", "Token " + id + " is not one of yours");
        }
        return "redirect:/account";
    }

    private String accountView(Model model) {
        String username = username();
        model.addAttribute("account", users.find(username).orElse(null));
        model.addAttribute(
                "tokens",
                tokens.list(username).stream()
                        .filter(t -> t.kind() == TokenKind.PERSONAL)
                        .toList());
        return ACCOUNT_VIEW;
    }

    private static String username() {
        return Viewer.of(SecurityContextHolder.getContext().getAuthentication()).username();
    }
}
