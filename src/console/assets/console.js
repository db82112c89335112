// Rapport console enhancements. Every page works without this file: it draws the charts from the
// data tables' JSON (the table stays, folded under "show the numbers") and asks before a form
// marked data-confirm is sent.
(function () {
  'use strict';
  var palette = ['#2f5bd3', '#12a37f', '#f0a202', '#d64550', '#7b61ff', '#1fa2d6', '#8a94a6', '#c05fb0'];

  function drawCharts(root) {
    if (typeof window.Chart !== 'function') return;
    var figures = root.querySelectorAll('figure.chart[data-chart]');
    for (var i = 0; i < figures.length; i++) {
      var fig = figures[i];
      if (fig.getAttribute('data-drawn')) continue;
      var data = fig.querySelector('script[type="application/json"]');
      if (!data) continue;
      var spec;
      try { spec = JSON.parse(data.textContent); } catch { continue; }
      var canvas = document.createElement('canvas');
      canvas.setAttribute('role', 'img');
      canvas.setAttribute('aria-label', fig.querySelector('figcaption') ? fig.querySelector('figcaption').textContent : '');
      var table = fig.querySelector('.chart-data');
      var details = document.createElement('details');
      var summary = document.createElement('summary');
      summary.textContent = document.documentElement.lang === 'zh-CN' ? '查看数据' : 'Show the numbers';
      details.appendChild(summary);
      var box = document.createElement('div');
      box.className = 'chart-box';
      box.appendChild(canvas);
      fig.insertBefore(box, table);
      fig.insertBefore(details, table);
      details.appendChild(table);
      var doughnut = spec.type === 'doughnut';
      new window.Chart(canvas, {
        type: spec.type,
        data: {
          labels: spec.labels,
          datasets: spec.series.map(function (s, k) {
            return {
              label: s.label,
              data: s.values,
              backgroundColor: doughnut ? palette.slice(0, s.values.length) : palette[k % palette.length],
              borderColor: doughnut ? '#fff' : palette[k % palette.length],
              borderWidth: spec.type === 'line' ? 2 : 1,
              tension: 0.25,
              fill: false,
            };
          }),
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } },
          scales: doughnut ? {} : { x: { stacked: !!spec.stacked, grid: { display: false } }, y: { stacked: !!spec.stacked, beginAtZero: true, ticks: { precision: 0 } } },
        },
      });
      fig.setAttribute('data-drawn', '1');
    }
  }

  document.addEventListener('submit', function (e) {
    var form = e.target;
    var question = form && form.getAttribute && form.getAttribute('data-confirm');
    if (question && !window.confirm(question)) e.preventDefault();
  }, true);

  document.addEventListener('DOMContentLoaded', function () { drawCharts(document); });
  document.addEventListener('htmx:afterSettle', function (e) { drawCharts(e.target || document); });
})();
