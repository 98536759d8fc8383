import { formatTimeLeft } from "../../shared/format";
import { type Lang, translate } from "../../shared/i18n";
import { type HistoryRow, type LiveAuction, RoomFrameSchema } from "../../shared/live-frames";
import { callApi } from "../api/call";
import { HistoryPageSchema } from "../api/responses";
import { socketUrl } from "../dom/page";
import { browserTimers } from "../dom/timers";
import { showToast } from "../dom/toasts";
import { parseJson } from "../json";
import type { PageData } from "../page-data";
import { nextTickIn, timeLeft } from "./countdown";
import { keepLive } from "./live-socket";
import { applyFrame, type RoomEffect, type RoomState, roomFromAuction, viewerBid } from "./room-state";
import { historyLine, roomTexts } from "./room-texts";

/**
 * The auction page, live (web contract, "Live"): the room's socket moves the figures, the bid
 * history and the countdown; the viewer hears when they lose the lead. The page's server-rendered
 * text stays until a frame changes it, and is then rewritten with the same words and markup.
 */

const HISTORY_LIMIT = 20;

function live(name: string): HTMLElement | null {
  return document.querySelector<HTMLElement>(`[data-live="${name}"]`);
}

/** "No bids yet" shows exactly while the history list is empty. */
function showNoHistoryNote(list: HTMLElement): void {
  const note = live("no-history");
  if (note) note.hidden = list.children.length > 0;
}

function setText(element: HTMLElement | null, text: string): void {
  if (element && element.textContent !== text) element.textContent = text;
}

/** The bid form's and buy-now form's actions end with these. */
function actionForms(suffix: string): HTMLFormElement[] {
  return [...document.querySelectorAll<HTMLFormElement>("form[data-api-form]")].filter((form) =>
    (form.getAttribute("action") ?? "").endsWith(suffix),
  );
}

function disableForm(form: HTMLFormElement): void {
  for (const control of form.querySelectorAll<HTMLInputElement | HTMLButtonElement>(
    "input, button, select, textarea",
  )) {
    control.disabled = true;
  }
}

class AuctionPage {
  private state: RoomState;
  private tickTimer: number | null = null;
  private historyLoading = false;
  private historyAgain = false;

  constructor(
    private readonly auction: LiveAuction,
    private readonly lang: Lang,
    page: PageData,
  ) {
    const viewerHasBid = page.viewerHasBid ?? false;
    this.state = roomFromAuction(
      auction,
      page.lastSeq ?? null,
      page.me?.id ?? null,
      Date.now(),
      viewerHasBid,
    );
  }

  start(): void {
    this.setBidMinimum();
    this.tick();
    for (const form of actionForms("/bids")) {
      form.addEventListener("api-form:success", () => {
        showToast(translate(this.lang, "auction.bidPlaced"));
        // A bid that a proxy beat at once leaves the viewer outbid, which only they know.
        this.update(viewerBid(this.state), []);
      });
    }
    const path = `/api/v1/auctions/${encodeURIComponent(this.auction.id)}/live`;
    keepLive({
      // After a drop, ask for what was missed since the last frame seen; the room replays it or
      // sends a snapshot.
      url: () => socketUrl(this.state.seq === null ? path : `${path}?since=${this.state.seq}`),
      connect: (url) => new WebSocket(url),
      onText: (text) => this.receive(text),
      timers: browserTimers,
      random: Math.random,
    });
  }

  private receive(text: string): void {
    const frame = RoomFrameSchema.safeParse(parseJson(text));
    if (!frame.success) return;
    const step = applyFrame(this.state, frame.data, Date.now());
    this.update(step.state, step.effects);
  }

  private update(next: RoomState, effects: readonly RoomEffect[]): void {
    const before = this.state;
    if (next === before) return;
    this.state = next;
    this.render(before);
    for (const effect of effects) this.apply(effect);
  }

  private apply(effect: RoomEffect): void {
    if (effect === "outbid")
      showToast(translate(this.lang, "live.outbidToast", { title: this.auction.title }));
    else if (effect === "history") void this.refreshHistory();
    else this.prependHistory(effect.prepend);
  }

  /**
   * A bid's rows, from its frame: no request, so a thousand watchers cost the room nothing more per
   * bid. While a read is on its way its answer may predate them, so it is simply made once more.
   */
  private prependHistory(rows: readonly HistoryRow[]): void {
    const list = live("history");
    if (!list) return;
    if (this.historyLoading) {
      this.historyAgain = true;
      return;
    }
    list.prepend(...rows.map((row) => this.historyItem(row)));
    while (list.children.length > HISTORY_LIMIT) list.lastElementChild?.remove();
    showNoHistoryNote(list);
  }

  private render(before: RoomState): void {
    const { state } = this;
    const texts = roomTexts(state, this.lang, Date.now());
    setText(live("price"), texts.price);
    setText(live("bid-count"), texts.bidCount);
    setText(live("leader"), texts.leader);
    setText(live("minimum"), texts.minimum);
    setText(live("reserve"), texts.reserve);
    setText(live("status"), texts.status);
    const standing = live("standing");
    if (standing && state.standing !== before.standing) {
      setText(standing, texts.standing);
      const bad = state.standing === "outbid" || state.standing === "lost";
      standing.classList.toggle("bad", bad);
      standing.classList.toggle("good", !bad);
    }
    if (state.result !== before.result) setText(live("result"), texts.result);
    const extended = live("extended");
    if (extended) extended.hidden = !state.extended;
    const ends = live("time-left");
    if (ends) ends.dataset.endsAt = new Date(state.endsAt).toISOString();
    this.setBidMinimum();
    if (state.status === "closed" || state.status === "cancelled") {
      for (const form of [...actionForms("/bids"), ...actionForms("/buy-now")]) disableForm(form);
    } else if (!state.buyNowAvailable) {
      for (const form of actionForms("/buy-now")) disableForm(form);
    }
    this.tick();
  }

  /**
   * The amount's minimum follows the price. Its suggested value (the old minimum, which a reset
   * also restores) moves along, unless the viewer has typed an amount of their own.
   */
  private setBidMinimum(): void {
    const minimum = String(this.state.minimumNextBid);
    for (const form of actionForms("/bids")) {
      const amount = form.querySelector<HTMLInputElement>('input[name="amount"]');
      if (!amount || amount.min === minimum) continue;
      const untouched = amount.value === "" || amount.value === amount.defaultValue;
      amount.min = minimum;
      amount.defaultValue = minimum;
      if (untouched) amount.value = minimum;
    }
  }

  /** Redraws the time left and sleeps until the shown second changes. */
  private tick(): void {
    if (this.tickTimer !== null) window.clearTimeout(this.tickTimer);
    this.tickTimer = null;
    const { state } = this;
    const left = state.status === "open" ? timeLeft(state.endsAt, Date.now(), state.offsetMs) : 0;
    setText(live("time-left"), formatTimeLeft(left, this.lang));
    const wait = nextTickIn(left);
    if (wait !== null) this.tickTimer = window.setTimeout(() => this.tick(), wait);
  }

  /**
   * Reads the history again after bids: one proxy bid can add several rows, which only the API
   * knows. At most one request at a time; bids during it cause one more read after it.
   */
  private async refreshHistory(): Promise<void> {
    if (this.historyLoading) {
      this.historyAgain = true;
      return;
    }
    const list = live("history");
    if (!list) return;
    this.historyLoading = true;
    try {
      do {
        this.historyAgain = false;
        const url = `/api/v1/auctions/${encodeURIComponent(this.auction.id)}/bids?limit=${HISTORY_LIMIT}`;
        const result = await callApi({ method: "GET", url });
        const page = HistoryPageSchema.safeParse(result.body);
        if (result.kind === "ok" && page.success) {
          list.replaceChildren(...page.data.items.map((item) => this.historyItem(item)));
          showNoHistoryNote(list);
        }
      } while (this.historyAgain);
    } finally {
      this.historyLoading = false;
    }
  }

  private historyItem(item: HistoryRow): HTMLLIElement {
    const line = historyLine(item, this.state.currency, this.lang);
    const span = (text: string) => {
      const element = document.createElement("span");
      element.textContent = text;
      return element;
    };
    const time = document.createElement("time");
    time.dateTime = line.iso;
    time.textContent = line.time;
    // The same markup as the server's list: "<handle> <price> <time>".
    const li = document.createElement("li");
    li.append(span(line.handle), " ", span(line.price), " ", time);
    return li;
  }
}

export function startAuctionPage(page: PageData): void {
  if (!page.auction) return;
  new AuctionPage(page.auction, page.lang, page).start();
}
