package ui

import "motcua/internal/version"

// About is what an app says of itself where the staff look (the kiosk's
// staff screen, the counter's login, the board's connecting banner): its
// name and version, as the packages and motcua-server version say it.
func About(app string) string { return "motcua-" + app + " " + version.String() }
