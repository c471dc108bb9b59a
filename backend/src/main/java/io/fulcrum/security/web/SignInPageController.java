package io.fulcrum.security.web;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The sign-in form; Spring Security handles its POST and the sign-out. */
@Controller
class SignInPageController {

    @GetMapping("/sign-in")
    String signIn() {
        return "account/sign-in";
    }
}
