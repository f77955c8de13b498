// Plays a camera's HLS stream in a <video>: with hls.js where it runs (it can hold the live edge closer),
// else natively.
window.videoWall = {
  players: new Map(),

  attach(videoId, url) {
    const video = document.getElementById(videoId);
    if (!video) return;
    this.detach(videoId);
    if (window.Hls && window.Hls.isSupported()) {
      const hls = new window.Hls({ lowLatencyMode: true, liveSyncDurationCount: 1, liveMaxLatencyDurationCount: 3, maxLiveSyncPlaybackRate: 1.5 });
      hls.on(window.Hls.Events.ERROR, (_, data) => {
        if (data.fatal) setTimeout(() => this.attach(videoId, url), 2000);
      });
      hls.loadSource(url);
      hls.attachMedia(video);
      this.players.set(videoId, hls);
    } else if (video.canPlayType("application/vnd.apple.mpegurl")) {
      video.src = url;
    } else {
      const note = document.createElement("p");
      note.className = "no-video";
      note.textContent = "This browser cannot play live video.";
      video.replaceWith(note);
      return;
    }
    // A stream still starting answers 503; try again until it plays.
    video.onerror = () => setTimeout(() => this.attach(videoId, url), 2000);
    video.play().catch(() => {});
  },

  detach(videoId) {
    const hls = this.players.get(videoId);
    if (hls) { hls.destroy(); this.players.delete(videoId); }
    const video = document.getElementById(videoId);
    if (video) { video.onerror = null; video.removeAttribute("src"); video.load(); }
  },
};
