package io.fulcrum.security.web;

import io.fulcrum.security.Viewer;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** Puts the signed-in user into every page's model as {@code viewer}. */
@ControllerAdvice(annotations = org.springframework.stereotype.Controller.class)
class ViewerAdvice {

    @ModelAttribute("viewer")
    Viewer viewer() {
        return Viewer.of(SecurityContextHolder.getContext().getAuthentication());
    }
}
