/**
 * The whole stylesheet, inlined in every page's head: one small block costs less than a second
 * request on a phone, and the first paint needs it anyway. Colours keep WCAG AA contrast.
 */
export const STYLES = `
:root{--ink:#1d232b;--muted:#4a5562;--line:#d5dbe2;--bg:#f6f7f9;--card:#fff;--accent:#0b5cad;--accent-ink:#fff;--good:#136b2f;--bad:#a4161a;--warn:#7a4b00;font-family:system-ui,-apple-system,"Segoe UI","Noto Sans KR","Apple SD Gothic Neo",sans-serif;color:var(--ink);background:var(--bg);line-height:1.5}
*{box-sizing:border-box}body{margin:0}a{color:var(--accent)}img{max-width:100%;height:auto}
.skip{position:absolute;left:-9999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:10}
header.site{background:var(--card);border-bottom:1px solid var(--line)}
.bar{max-width:72rem;margin:0 auto;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center}
.brand{font-weight:700;font-size:1.15rem;text-decoration:none;color:var(--ink);margin-right:auto}
nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem .9rem;align-items:center}
.badge{display:inline-block;min-width:1.4rem;padding:0 .35rem;border-radius:1rem;background:var(--bad);color:#fff;font-size:.8rem;text-align:center}
.langs{display:flex;gap:.5rem;font-size:.9rem}
main{max-width:72rem;margin:0 auto;padding:1rem}
h1{font-size:1.6rem;margin:.5rem 0 1rem}h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:.5rem;padding:1rem}
.grid{list-style:none;margin:0;padding:0;display:grid;gap:1rem;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr))}
.grid article{height:100%}.thumb{aspect-ratio:4/3;width:100%;object-fit:cover;border-radius:.35rem;background:#e3e7ec;display:flex;align-items:center;justify-content:center;color:var(--muted)}
.price{font-size:1.25rem;font-weight:700}.muted{color:var(--muted)}
.auction{display:grid;gap:1rem;grid-template-areas:"title" "photos" "panel" "details"}.auction .title{grid-area:title;margin:0}.auction .photos{grid-area:photos}.auction .panel{grid-area:panel}.auction .details{grid-area:details}@media(min-width:48rem){.auction{grid-template-columns:3fr 2fr;grid-template-areas:"title panel" "photos panel" "details panel";align-items:start}}
.photos{display:grid;gap:.5rem}.facts{display:grid;grid-template-columns:auto 1fr;gap:.25rem 1rem;margin:0}.facts dt{color:var(--muted)}.facts dd{margin:0;font-weight:600}
.standing{font-weight:700;min-height:1.5em}.standing.good{color:var(--good)}.standing.bad{color:var(--bad)}
.notice{color:var(--warn);font-weight:600}
form.stack{display:grid;gap:.75rem;max-width:32rem}
label{font-weight:600;display:block}input,select,textarea{font:inherit;padding:.5rem;border:1px solid #8a95a3;border-radius:.35rem;width:100%;background:#fff;color:var(--ink)}
input[type=checkbox]{width:auto}.check{display:flex;gap:.5rem;align-items:center;font-weight:400}
button,.button{font:inherit;font-weight:600;padding:.55rem 1rem;border-radius:.35rem;border:1px solid var(--accent);background:var(--accent);color:var(--accent-ink);cursor:pointer;text-decoration:none;display:inline-block}
button.secondary{background:#fff;color:var(--accent)}button:disabled{opacity:.6;cursor:progress}
.field-error{color:var(--bad);margin:.2rem 0 0;font-size:.9rem;min-height:0}.field-error:empty{display:none}
.form-error{color:var(--bad);font-weight:600}.form-error:empty{display:none}
.hint{color:var(--muted);font-size:.9rem;margin:.2rem 0 0}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid var(--line)}
.history{list-style:none;padding:0;margin:0}.history li{display:flex;gap:.75rem;justify-content:space-between;border-bottom:1px solid var(--line);padding:.3rem 0}
.tabs{display:flex;flex-wrap:wrap;gap:.5rem 1rem;margin-bottom:1rem}.tabs a[aria-current=page]{font-weight:700;color:var(--ink)}
.row{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end}
#toasts{position:fixed;right:1rem;bottom:1rem;display:grid;gap:.5rem;z-index:20;max-width:calc(100vw - 2rem)}
.toast{background:var(--ink);color:#fff;padding:.75rem 1rem;border-radius:.4rem;box-shadow:0 2px 8px rgba(0,0,0,.25)}
.unread{border-left:4px solid var(--accent)}
.panel p:empty{display:none}
`;
