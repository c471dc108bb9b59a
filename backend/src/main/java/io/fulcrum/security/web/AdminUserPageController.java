package io.fulcrum.security.web;

import io.fulcrum.security.Role;
import io.fulcrum.security.UserAccount;
import io.fulcrum.security.UserAccounts;
import io.fulcrum.system.Actors;
import io.fulcrum.system.ConflictException;
import io.fulcrum.system.FieldViolation;
import io.fulcrum.system.FormErrors;
import io.fulcrum.system.InvalidInputException;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The admin's page of users: create one, change a role, enable or disable, reset a password. */
@Controller
@RequestMapping("/admin/users")
class AdminUserPageController {

    static final String VIEW = "admin/users";

    private final UserAccounts users;

    AdminUserPageController(UserAccounts users) {
        this.users = users;
    }

    @GetMapping
    String list(Model model) {
        model.addAttribute("userForm", new UserForm());
        return view(model);
    }

    @PostMapping
    String create(
            @ModelAttribute("userForm") UserForm form,
            BindingResult binding,
            Model model,
            RedirectAttributes redirect) {
        try {
            UserAccount created = users.create(form.getUsername(), form.getPassword(), form.getRole(), true);
            redirect.addFlashAttribute(
                    "message",
                    "User '" + created.username() + "' created; they must change the password at the first sign-in");
            return "redirect:/admin/users";
        } catch (InvalidInputException e) {
            FormErrors.reject(binding, e.violations(), field -> field);
        } catch (ConflictException e) {
            FormErrors.reject(binding, e.violations(), field -> field);
        }
        form.setPassword(null);
        return view(model);
    }

    @PostMapping("/{id}/role")
    String changeRole(@PathVariable long id, @RequestParam String role, RedirectAttributes redirect) {
        return change(redirect, () -> users.update(id, role, null, Actors.current()), "now has the role " + role);
    }

    @PostMapping("/{id}/enabled")
    String enable(@PathVariable long id, @RequestParam boolean enabled, RedirectAttributes redirect) {
        return change(
                redirect,
                () -> users.update(id, null, enabled, Actors.current()),
                enabled ? "may sign in again" : "is disabled; their sessions and tokens stopped");
    }

    @PostMapping("/{id}/password")
    String resetPassword(@PathVariable long id, @RequestParam String password, RedirectAttributes redirect) {
        return change(
                redirect, () -> users.resetPassword(id, password), "has a new password to change at the next sign-in");
    }

    private static String change(RedirectAttributes redirect, Supplier<UserAccount> action, String outcome) {
        try {
            UserAccount user = action.get();
            redirect.addFlashAttribute("message", "User '" + user.username() + "' " + outcome);
        } catch (InvalidInputException e) {
            redirect.addFlashAttribute("error", describe(e.violations()));
        } catch (ConflictException e) {
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/admin/users";
    }

    private static String describe(List<FieldViolation> violations) {
        return String.join(
                "; ",
                violations.stream().map(v -> v.field() + " " + v.message()).toList());
    }

    private String view(Model model) {
        model.addAttribute("users", users.list());
        model.addAttribute("roles", Role.values());
        return VIEW;
    }
}
