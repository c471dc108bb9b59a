package io.fulcrum.system;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The dashboard's front door: task groups are where every piece of work starts. */
@Controller
class HomeController {

    @GetMapping("/")
    String home() {
        return "redirect:/task-groups";
    }
}
