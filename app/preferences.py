"""Display choices (text size, colours, line spacing), kept in a cookie and applied by the
server, so they work on every page with JavaScript off."""

from dataclasses import dataclass

from flask import Flask, Request, has_request_context, request

COOKIE = "display"
COOKIE_AGE = 365 * 24 * 3600

TEXT_SIZES = {"standard": "Standard", "large": "Large", "largest": "Largest"}
THEMES = {
    "default": "Default: black text on white",
    "high-contrast": "High contrast: yellow text on black",
    "dark": "Dark: light text on dark grey",
    "cream": "Cream: dark text on cream, with a font that is easier to read with dyslexia",
}
SPACINGS = {"standard": "Standard", "wide": "Wide"}


@dataclass(frozen=True)
class Preferences:
    text_size: str = "standard"
    theme: str = "default"
    spacing: str = "standard"

    def html_classes(self) -> str:
        """Classes for <html>: the stylesheet does the rest."""
        return " ".join(
            f"app-{name}-{value}"
            for name, value in (
                ("text", self.text_size),
                ("theme", self.theme),
                ("spacing", self.spacing),
            )
            if value not in ("standard", "default")
        )

    def cookie_value(self) -> str:
        return f"{self.text_size}.{self.theme}.{self.spacing}"


def read_preferences(req: Request) -> Preferences:
    """The choices in the cookie; anything unknown or tampered with falls back to the default."""
    parts = (req.cookies.get(COOKIE) or "").split(".")
    if len(parts) != 3:
        return Preferences()
    text_size, theme, spacing = parts
    return Preferences(
        text_size if text_size in TEXT_SIZES else "standard",
        theme if theme in THEMES else "default",
        spacing if spacing in SPACINGS else "standard",
    )


def init_preferences(app: Flask) -> None:
    # Templates rendered by commands (a report printed to the terminal) have no request.
    app.context_processor(
        lambda: {
            "preferences": read_preferences(request) if has_request_context() else Preferences()
        }
    )
