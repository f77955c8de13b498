// Plays every <video data-stream="…m3u8"> on the page: with hls.js where it runs (it can hold the live edge closer),
// else natively. A video plays from the moment it is in the document and stops when it leaves it, so the pages only
// render the element; whether it arrived prerendered, by a redraw or by a navigation does not matter.
window.videoWall = {
  players: new Map(), // video element → its hls.js player

  play(video) {
    const url = video.dataset.stream;
    if (!url || !video.isConnected) return;
    this.stop(video);
    if (window.Hls && window.Hls.isSupported()) {
      const hls = new window.Hls({ lowLatencyMode: true, liveSyncDurationCount: 1, liveMaxLatencyDurationCount: 3, maxLiveSyncPlaybackRate: 1.5 });
      hls.on(window.Hls.Events.ERROR, (_, data) => {
        if (data.fatal) this.retry(video);
      });
      hls.loadSource(url);
      hls.attachMedia(video);
      this.players.set(video, hls);
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
    video.onerror = () => this.retry(video);
    video.play().catch(() => {});
  },

  retry(video) {
    setTimeout(() => { if (video.isConnected && video.dataset.stream) this.play(video); }, 2000);
  },

  stop(video) {
    const hls = this.players.get(video);
    if (hls) { hls.destroy(); this.players.delete(video); }
    video.onerror = null;
    if (video.hasAttribute("src")) { video.removeAttribute("src"); video.load(); }
  },

  within(node, each) {
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    if (node.matches("video[data-stream]")) each(node);
    node.querySelectorAll("video[data-stream]").forEach(each);
  },
};

new MutationObserver(records => {
  for (const record of records) {
    if (record.type === "attributes") { window.videoWall.play(record.target); continue; }
    record.removedNodes.forEach(node => window.videoWall.within(node, video => { if (!video.isConnected) window.videoWall.stop(video); }));
    record.addedNodes.forEach(node => window.videoWall.within(node, video => { if (!window.videoWall.players.has(video)) window.videoWall.play(video); }));
  }
}).observe(document.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ["data-stream"] });
window.videoWall.within(document.documentElement, video => window.videoWall.play(video));

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
