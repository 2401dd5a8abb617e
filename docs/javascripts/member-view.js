// The member view of `make playground`, and the replay of the failover lab on the Raft page.
// Each member is one element with data-member, data-role (leader, follower, candidate,
// unknown), data-state (running, stopped, paused, isolated) and data-term; the tests and
// the playground's buttons rely on those attributes. On the Raft page nothing runs until a
// [data-replay] element comes near the screen: then the trace the tests recorded is fetched
// and played back in the same view.
(() => {
  const zh = document.documentElement.lang.startsWith("zh")
  const text = zh ? {
    leader: "领导者", follower: "跟随者", candidate: "候选者", unknown: "未知", prevote: "候选者（预投票）",
    running: "运行中", stopped: "已停止", paused: "已暂停", isolated: "已隔离",
    term: "任期", index: "Raft 索引", applied: "已应用",
    stop: "停止", start: "启动", pause: "暂停", resume: "继续", isolate: "隔离", heal: "解除隔离",
    play: "播放", pausePlayback: "暂停", previous: "上一个变化", next: "下一个变化", time: "时间",
    up: "开始应答", down: "不再应答", became: "成为", inTerm: "任期", termTo: "任期变为",
    failed: "无法加载记录：",
  } : {
    leader: "leader", follower: "follower", candidate: "candidate", unknown: "unknown",
    prevote: "candidate (pre-vote)",
    running: "running", stopped: "stopped", paused: "paused", isolated: "isolated",
    term: "term", index: "Raft index", applied: "applied",
    stop: "Stop", start: "Start", pause: "Pause", resume: "Resume", isolate: "Isolate", heal: "Heal",
    play: "Play", pausePlayback: "Pause", previous: "Previous change", next: "Next change", time: "time",
    up: "answers", down: "stopped answering", became: "became", inTerm: "term", termTo: "term is now",
    failed: "could not load the recording: ",
  }

  const css = `
.etcd-members { display: grid; grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr)); gap: .6rem; margin: .8rem 0 }
.etcd-member { border: 1px solid var(--md-default-fg-color--lightest); border-radius: .2rem; padding: .5rem .7rem;
  border-top: .25rem solid var(--md-default-fg-color--lighter); font-size: .75rem; line-height: 1.4 }
.etcd-member[data-role=leader] { border-top-color: var(--md-primary-fg-color) }
.etcd-member[data-role=candidate] { border-top-color: #e65100 }
.etcd-member[data-state=stopped], .etcd-member[data-state=paused] { opacity: .6 }
.etcd-member[data-state=isolated] { border-style: dashed }
.etcd-member__head { display: flex; justify-content: space-between; gap: .4rem; font-weight: 700 }
.etcd-member__numbers { display: grid; grid-template-columns: auto 1fr; gap: 0 .6rem; margin: .3rem 0 }
.etcd-member__numbers dt, .etcd-member__numbers dd { margin: 0; padding: 0 }
.etcd-member__numbers dd { font-variant-numeric: tabular-nums; text-align: right }
.etcd-member__actions { display: flex; flex-wrap: wrap; gap: .3rem; margin-top: .3rem }
.etcd-replay__controls { display: flex; flex-wrap: wrap; align-items: center; gap: .4rem; font-size: .75rem }
.etcd-replay__controls input { flex: 1 1 10rem }
.etcd-replay__controls output { font-variant-numeric: tabular-nums; min-width: 5em }
.etcd-replay__step, .etcd-replay__change { font-size: .75rem; margin: .2rem 0; min-height: 1.4em }
.etcd-replay button, .etcd-member button { font: inherit; font-size: .7rem; cursor: pointer; padding: .1rem .5rem;
  border: 1px solid currentcolor; border-radius: .1rem; color: var(--md-typeset-a-color); background: none }
.etcd-member button:disabled { opacity: .5; cursor: default }
`
  let styled = false
  const addStyle = () => {
    if (styled) return
    styled = true
    document.head.append(Object.assign(document.createElement("style"), { textContent: css }))
  }

  const element = (tag, { dataset = {}, ...props } = {}, ...children) => {
    const node = Object.assign(document.createElement(tag), props)
    Object.assign(node.dataset, dataset)
    node.append(...children)
    return node
  }
  const set = (node, name, value) => { if (node.getAttribute(name) !== value) node.setAttribute(name, value) }
  const show = (node, value) => { if (node.textContent !== value) node.textContent = value }
  const number = value => (value === null || value === undefined ? "–" : String(value))
  const pairs = { stop: "start", pause: "resume", isolate: "heal" }
  const undone = { stop: m => m.state === "stopped", pause: m => m.state === "paused", isolate: m => m.isolated }

  // One element per member; update() changes only what differs, so a refresh five times a
  // second costs nothing when nothing happened.
  const view = (container, names, { actions = false } = {}) => {
    addStyle()
    const list = element("div", { className: "etcd-members" })
    const cards = new Map(names.map(name => {
      const field = key => element("dd", { dataset: { field: key } }, "–")
      const fields = { term: field("term"), index: field("index"), applied: field("applied") }
      const card = element("article", { className: "etcd-member" },
        element("div", { className: "etcd-member__head" },
          element("span", {}, name), element("span", { className: "etcd-member__role" }, text.unknown)),
        element("dl", { className: "etcd-member__numbers" },
          element("dt", {}, text.term), fields.term, element("dt", {}, text.index), fields.index,
          element("dt", {}, text.applied), fields.applied),
        element("div", { className: "etcd-member__state" }, text.stopped))
      Object.assign(card.dataset, { member: name, role: "unknown", state: "stopped", term: "" })
      const buttons = {}
      if (actions) {
        for (const action of Object.keys(pairs)) {
          buttons[action] = element("button", { type: "button", dataset: { action } }, text[action])
        }
        card.append(element("div", { className: "etcd-member__actions" }, ...Object.values(buttons)))
      }
      list.append(card)
      return [name, { card, fields, buttons }]
    }))
    container.append(list)
    return {
      cards,
      update(members) {
        for (const member of members) {
          const entry = cards.get(member.name)
          if (!entry) continue
          const { card, fields } = entry
          set(card, "data-role", member.role)
          set(card, "data-state", member.state)
          set(card, "data-term", member.term === null || member.term === undefined ? "" : String(member.term))
          show(card.querySelector(".etcd-member__role"), member.prevote ? text.prevote : text[member.role])
          show(card.querySelector(".etcd-member__state"), text[member.state])
          show(fields.term, number(member.term))
          show(fields.index, number(member.index))
          show(fields.applied, number(member.applied))
          for (const [on, button] of Object.entries(entry.buttons)) {
            const action = undone[on](member) ? pairs[on] : on
            set(button, "data-action", action)
            show(button, text[action])
            button.disabled = on === "pause" && member.state === "stopped"
          }
        }
      },
    }
  }

  // --- The replay -------------------------------------------------------------------
  // A trace is {members, end, steps: [{t, text}], events: [{t, member, role, term, index, applied, event}]},
  // times in seconds from the start of the lab; each event holds the member's whole state after it
  // (tests/raft_trace.py records it).
  const stateAt = (trace, time) => {
    const members = new Map(trace.members.map(name => [name, { name, role: "unknown", state: "stopped", term: null }]))
    let last = null
    for (const event of trace.events) {
      if (event.t > time) break
      const down = event.event === "down"
      members.set(event.member, { name: event.member, role: down ? "unknown" : event.role,
        state: down ? "stopped" : "running", term: event.term, index: event.index, applied: event.applied })
      last = event
    }
    const step = trace.steps.filter(s => s.t <= time).pop()
    return { members: [...members.values()], last, step }
  }
  const describe = event => {
    if (!event) return ""
    const role = zh ? `${text.became}${text[event.role]}（${text.inTerm} ${event.term}）`
      : `${text.became} ${text[event.role]} (${text.inTerm} ${event.term})`
    const what = { up: text.up, down: text.down, role, term: `${text.termTo} ${event.term}`,
      index: `${text.index} ${event.index}` }[event.event]
    return `${event.t.toFixed(2)} s · ${event.member} ${what}`
  }

  const replay = async container => {
    addStyle()
    let trace
    try {
      const response = await fetch(new URL(container.dataset.replay, script))
      trace = await response.json()
    } catch (error) {
      container.textContent = text.failed + error
      return
    }
    container.replaceChildren()
    // The members answer once they have formed the cluster: the replay starts there.
    const start = trace.events[0].t
    const end = trace.end ?? trace.events[trace.events.length - 1].t
    const stepLine = element("p", { className: "etcd-replay__step", dataset: { replayStep: "" } })
    const members = view(container, trace.members)
    const change = element("p", { className: "etcd-replay__change", dataset: { replayChange: "" } })
    const play = element("button", { type: "button", dataset: { replayControl: "play" } }, text.play)
    const previous = element("button", { type: "button", dataset: { replayControl: "previous" } }, "◀")
    const next = element("button", { type: "button", dataset: { replayControl: "next" } }, "▶")
    previous.setAttribute("aria-label", text.previous)
    next.setAttribute("aria-label", text.next)
    const scrub = element("input", { type: "range", min: start, max: end, step: 0.01, value: start,
      dataset: { replayScrub: "" } })
    scrub.setAttribute("aria-label", text.time)
    const clock = element("output", { dataset: { replayTime: "" } })
    container.prepend(stepLine)
    container.append(change, element("div", { className: "etcd-replay__controls" }, play, previous, next, scrub, clock))

    let time = start
    let timer = null
    const render = () => {
      const state = stateAt(trace, time)
      members.update(state.members)
      show(stepLine, state.step ? `== ${state.step.text}` : "")
      show(change, describe(state.last))
      scrub.value = time
      show(clock, `${time.toFixed(2)} s`)
      container.dataset.replayAt = time.toFixed(2)
    }
    const stop = () => {
      clearInterval(timer)
      timer = null
      play.textContent = text.play
      play.dataset.replayControl = "play"
    }
    const seek = value => { time = Math.min(Math.max(value, start), end); render() }
    play.addEventListener("click", () => {
      if (timer) return stop()
      if (time >= end) time = start
      let before = performance.now()
      timer = setInterval(() => {
        const now = performance.now()
        seek(time + (now - before) / 1000)
        before = now
        if (time >= end) stop()
      }, 50)
      play.textContent = text.pausePlayback
      play.dataset.replayControl = "pause"
    })
    const times = [...new Set([...trace.events, ...trace.steps].map(e => e.t))].filter(t => t >= start)
      .sort((a, b) => a - b)
    next.addEventListener("click", () => { stop(); seek(times.find(t => t > time + 1e-9) ?? end) })
    previous.addEventListener("click", () => { stop(); seek([...times].reverse().find(t => t < time - 1e-9) ?? start) })
    scrub.addEventListener("input", () => { stop(); seek(Number(scrub.value)) })
    render()
  }

  const script = document.currentScript?.src ?? location.href
  window.etcdMemberView = { view, text }
  const replays = document.querySelectorAll("[data-replay]")
  if (!replays.length) return
  const near = new IntersectionObserver(entries => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue
      near.unobserve(entry.target)
      replay(entry.target)
    }
  }, { rootMargin: "800px 0px" })
  replays.forEach(container => near.observe(container))
})()
