// Starts reveal.js with the speaker notes plugin (S opens the speaker view). Everything the deck
// loads is served by the unikernel itself: no fonts, scripts or styles from elsewhere.
Reveal.initialize({
  hash: true,
  slideNumber: "c/t",
  transition: "slide",
  plugins: [RevealNotes],
});
