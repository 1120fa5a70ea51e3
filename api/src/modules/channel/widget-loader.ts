import type { WidgetStyle } from './channel.entity';

/**
 * `/widget.js?key=…`: a launcher button and the widget app in an iframe, both inside a closed
 * shadow root on a fixed host element, so the page's styles cannot reach them and theirs cannot
 * leak out. The widget's colour, title and side are baked in when the script is served. The
 * visitor's token lives in the site's own storage (the widget's frame is third-party there, where
 * browsers may refuse it storage) and reaches the frame in its URL fragment, never sent to a server.
 */
export function widgetLoader(opts: { origin: string; key: string; style: WidgetStyle }): string {
  const config = JSON.stringify({
    src: `${opts.origin}/widget/?key=${encodeURIComponent(opts.key)}&embedded=1`,
    key: opts.key,
    origin: opts.origin,
    color: /^#[0-9a-f]{6}$/i.test(opts.style.color) ? opts.style.color : '#3f51b5',
    title: opts.style.title,
    left: opts.style.position === 'BOTTOM_LEFT',
  }).replace(/</g, '\\u003c');
  return `(function(c){
if(window.__parleyWidget)return;window.__parleyWidget=1;
var d=document,h=d.createElement('div');h.setAttribute('data-parley-widget','');
h.style.cssText='all:initial;position:fixed;z-index:2147483647;bottom:20px;'+(c.left?'left':'right')+':20px';
var r=h.attachShadow({mode:'closed'}),s=c.left?'left':'right';
r.innerHTML='<style>:host{all:initial}button{all:initial;box-sizing:border-box;width:56px;height:56px;border-radius:50%;background:'+c.color+';color:#fff;display:grid;place-items:center;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);float:'+s+'}button:focus-visible{outline:3px solid #fff;outline-offset:-6px}svg{width:28px;height:28px;fill:currentColor}iframe{display:block;border:0;width:370px;height:560px;max-width:calc(100vw - 40px);max-height:calc(100vh - 100px);margin-bottom:12px;border-radius:14px;box-shadow:0 8px 28px rgba(0,0,0,.28);background:#fff}iframe[hidden]{display:none}</style>';
var f=d.createElement('iframe');f.hidden=true;f.title=c.title;f.setAttribute('allow','clipboard-write');
var b=d.createElement('button');b.type='button';b.setAttribute('aria-label',c.title);b.setAttribute('aria-expanded','false');
b.innerHTML='<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"/></svg>';
var k='parley.visitor.'+c.key;function g(){try{return localStorage.getItem(k)}catch(e){return null}}
function t(o){if(o&&!f.src){var v=g();f.src=c.src+(v?'#t='+encodeURIComponent(v):'')}f.hidden=!o;b.setAttribute('aria-expanded',String(o));}
b.onclick=function(){t(f.hidden)};
window.addEventListener('message',function(e){if(e.origin!==c.origin||!e.data)return;
if(e.data.type==='parley:close'){t(false);b.focus()}
if(e.data.type==='parley:token'&&typeof e.data.token==='string'){try{localStorage.setItem(k,e.data.token)}catch(x){}}});
r.appendChild(f);r.appendChild(b);(d.body||d.documentElement).appendChild(h);
})(${config});
`;
}
