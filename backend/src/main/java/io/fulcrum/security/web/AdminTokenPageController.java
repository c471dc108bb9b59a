package io.fulcrum.security.web;

import io.fulcrum.security.ApiTokens;
import io.fulcrum.security.IssuedToken;
import io.fulcrum.security.TokenKind;
import io.fulcrum.security.Viewer;
import io.fulcrum.system.FormErrors;
import io.fulcrum.system.InvalidInputException;
import java.util.List;
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

/** The admin's page of every token: create WORKER and SERVING tokens, revoke any token. */
@Controller
@RequestMapping("/admin/tokens")
class AdminTokenPageController {

    static final String VIEW = "admin/tokens";
    /** Personal tokens are created by their owners on their account page. */
    static final List<TokenKind> KINDS = List.of(TokenKind.WORKER, TokenKind.SERVING);

    private final ApiTokens tokens;

    AdminTokenPageController(ApiTokens tokens) {
        this.tokens = tokens;
    }

    @GetMapping
    String list(Model model) {
        TokenForm form = new TokenForm();
        form.setKind(TokenKind.WORKER.name());
        model.addAttribute("tokenForm", form);
        return view(model);
    }

    @PostMapping
    String create(@ModelAttribute("tokenForm") TokenForm form, BindingResult binding, Model model) {
        if (!binding.hasErrors()) {
            try {
                TokenKind kind = TokenKind.parse(form.getKind());
                if (kind == TokenKind.PERSONAL) {
                    binding.rejectValue("kind", "fulcrum.one-of", "must be WORKER or SERVING");
                    return view(model);
                }
                String admin = Viewer.of(SecurityContextHolder.getContext().getAuthentication())
                        .username();
                IssuedToken issued = tokens.issue(admin, form.getName(), form.getKind(), form.expiresAt(), true);
                model.addAttribute("issued", issued);
                model.addAttribute("backTo", "/admin/tokens");
                return AccountPageController.TOKEN_CREATED_VIEW;
            } catch (InvalidInputException e) {
                FormErrors.reject(binding, e.violations(), TokenForms::formField);
            }
        }
        return view(model);
    }

    @PostMapping("/{id}/revoke")
    String revoke(@PathVariable long id, RedirectAttributes redirect) {
        String admin = Viewer.of(SecurityContextHolder.getContext().getAuthentication())
                .username();
        String name = tokens.revoke(id, admin, true).name();
        redirect.addFlashAttribute("message", "Token '" + name + "' revoked");
        return "redirect:/admin/tokens";
    }

    private String view(Model model) {
        model.addAttribute("tokens", tokens.list(null));
        model.addAttribute("kinds", KINDS);
        return VIEW;
    }
}
