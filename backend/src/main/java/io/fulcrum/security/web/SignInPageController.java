package io.fulcrum.security.web;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The sign-in form; Spring Security handles its POST and the sign-out. */
@Controller
class SignInPageController {

    /** The longest wait the page will show: anything else in {@code locked} is not a number we sent. */
    private static final int MAX_LOCKED_MINUTES = 24 * 60;

    @GetMapping("/sign-in")
    String signIn(@RequestParam(name = "locked", required = false) String locked, Model model) {
        Integer minutes = lockedMinutes(locked);
        if (minutes != null) {
            model.addAttribute("lockedMinutes", minutes);
        }
        return "account/sign-in";
    }

    private static Integer lockedMinutes(String locked) {
        if (locked == null || !locked.matches("[0-9]{1,4}")) {
            return null;
        }
        int minutes = Integer.parseInt(locked);
        return minutes >= 1 && minutes <= MAX_LOCKED_MINUTES ? minutes : null;
    }
}
