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

// Fits a grid of 16:9 tiles into its container without scrolling: of every column count, the one that gives the
// largest tiles for this many of them. Refitted when the container changes size (window, full screen).
window.videoWall.fit = function (containerId, count) {
  const grid = document.getElementById(containerId);
  if (!grid) return;
  grid.dataset.tiles = String(Math.max(1, count));
  if (!grid.fitObserver) {
    grid.fitObserver = new ResizeObserver(() => window.videoWall.layout(grid));
    grid.fitObserver.observe(grid);
  }
  window.videoWall.layout(grid);
};

window.videoWall.layout = function (grid) {
  const count = Number(grid.dataset.tiles || 1);
  const width = grid.clientWidth, height = grid.clientHeight;
  if (!width || !height) return;
  let best = { columns: 1, rows: count, tile: 0 };
  for (let columns = 1; columns <= count; columns++) {
    const rows = Math.ceil(count / columns);
    const tile = Math.min(width / columns, (height / rows) * 16 / 9);
    if (tile > best.tile) best = { columns, rows, tile };
  }
  grid.style.setProperty("--columns", best.columns);
  grid.style.setProperty("--rows", best.rows);
  grid.dataset.columns = String(best.columns);
  grid.dataset.rows = String(best.rows);
};
