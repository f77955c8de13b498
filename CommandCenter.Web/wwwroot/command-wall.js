// The command wall in the browser: the full-screen (kiosk) button, and the alarm sound with its mute switch.
// The sound is generated with Web Audio (no file to fetch). Browsers keep audio suspended until the user has
// interacted with the page, so until then the sound button says "click to enable sound".
const MutedKey = "commandWall.muted";
let texts = {};
let audio = null;
let soundButton = null;

function muted() {
  return localStorage.getItem(MutedKey) === "1";
}

/** The sound button tells what a click on it does now: enable sound, mute it, or unmute it. */
function showSound() {
  if (!soundButton) return;
  const blocked = !audio || audio.state !== "running";
  const state = muted() ? "muted" : blocked ? "blocked" : "on";
  soundButton.dataset.state = state;
  soundButton.textContent = state === "muted" ? texts.muted : state === "blocked" ? texts.enableSound : texts.soundOn;
}

function showFullscreen(button) {
  button.textContent = document.fullscreenElement ? texts.exitFullscreen : texts.fullscreen;
}

export function init(labels) {
  texts = labels;
  const AudioContext = window.AudioContext || window.webkitAudioContext;
  audio = AudioContext ? new AudioContext() : null;
  audio?.addEventListener("statechange", showSound);
  // Any click on the page is the gesture that lets the sound play.
  document.addEventListener("pointerdown", () => { if (audio && audio.state !== "running") audio.resume(); }, { capture: true });

  soundButton = document.getElementById("cw-sound");
  soundButton?.addEventListener("click", () => {
    if (audio && audio.state !== "running") {
      // The first click enables the sound (and unmutes: the operator asked for sound).
      localStorage.removeItem(MutedKey);
      audio.resume().then(showSound);
    } else if (muted()) {
      localStorage.removeItem(MutedKey);
    } else {
      localStorage.setItem(MutedKey, "1");
    }
    showSound();
  });
  showSound();

  const full = document.getElementById("cw-fullscreen");
  if (full) {
    if (!document.fullscreenEnabled) full.hidden = true;
    full.addEventListener("click", () => {
      if (document.fullscreenElement) document.exitFullscreen();
      else document.documentElement.requestFullscreen().catch(() => {});
    });
    document.addEventListener("fullscreenchange", () => showFullscreen(full));
    showFullscreen(full);
  }
}

/** A new critical alert: three short beeps, unless muted or the browser still blocks sound. Returns whether it sounded. */
export function alarm(alertId) {
  showSound();
  if (!audio || audio.state !== "running" || muted()) return false;
  const start = audio.currentTime + 0.05;
  for (let i = 0; i < 3; i++) {
    const at = start + i * 0.3;
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.type = "square";
    tone.frequency.value = 880;
    // A short ramp in and out: no click at the start and end of each beep.
    gain.gain.setValueAtTime(0, at);
    gain.gain.linearRampToValueAtTime(0.2, at + 0.01);
    gain.gain.setValueAtTime(0.2, at + 0.17);
    gain.gain.linearRampToValueAtTime(0, at + 0.18);
    tone.connect(gain).connect(audio.destination);
    tone.start(at);
    tone.stop(at + 0.2);
  }
  if (soundButton) {
    soundButton.dataset.alarms = String(Number(soundButton.dataset.alarms || 0) + 1);
    soundButton.dataset.lastAlarm = alertId;
  }
  return true;
}
