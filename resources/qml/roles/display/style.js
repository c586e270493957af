.pragma library
// The display's colours: light on a deep blue, calm, high contrast (every text ≥ 7:1 on its background; the
// reconnecting banner's dark text on amber 9:1). Colour is never the only cue: every state also says so in words.

var background = "#0A1A33"
var panel = "#102A4E"
var panelHighlight = "#1F5296"
var header = "#07142A"
var divider = "#2B4670"
var text = "#FFFFFF"
var textDim = "#C9D6EA"
var number = "#FFD54A"
var banner = "#FFC233"
var bannerText = "#1B1F24"
var warning = "#FFC233"
