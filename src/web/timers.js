globalThis.cognitoSpaTimers = (() => {
  const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
  async function lease(key) {
    const me = crypto.getRandomValues(new Uint32Array(4)).join("-");
    const holder = () => (localStorage.getItem(key) || "0/").split("/");
    const giveUp = Date.now() + 1e4;
    for (;;) {
      const [until, owner] = holder();
      const now = Date.now();
      if (owner === me || until < now) {
        localStorage.setItem(key, now + 1e4 + "/" + me);
        await sleep(50);
        if (holder()[1] === me) return () => holder()[1] === me && localStorage.removeItem(key);
      } else if (now > giveUp) return () => {};
      else await sleep(100);
    }
  }
  function exclusive(name) {
    const locks = globalThis.navigator && navigator.locks;
    return locks
      ? new Promise((granted, failed) => {
          locks.request(name, () => new Promise(granted)).catch(failed);
        })
      : lease(name + ".lease");
  }
  return { sleep, exclusive };
})();
