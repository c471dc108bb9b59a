package io.fulcrum.system;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The dashboard's front door: the overview of workers, runs and the latest studies. */
@Controller
class HomeController {

    @GetMapping("/")
    String home() {
        return "redirect:/overview";
    }
}
