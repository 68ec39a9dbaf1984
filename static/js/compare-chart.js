// Turn the chart's SVG into a PNG in the browser: draw it on a canvas, then save the canvas.
(function () {
  "use strict";
  document.querySelectorAll("button.chart-png").forEach(function (button) {
    button.addEventListener("click", function () {
      var image = new Image();
      image.onload = function () {
        var scale = 2;
        var canvas = document.createElement("canvas");
        canvas.width = image.naturalWidth * scale;
        canvas.height = image.naturalHeight * scale;
        var context = canvas.getContext("2d");
        context.scale(scale, scale);
        context.drawImage(image, 0, 0);
        canvas.toBlob(function (blob) {
          var link = document.createElement("a");
          link.href = URL.createObjectURL(blob);
          link.download = "hecha-chart.png";
          document.body.appendChild(link);
          link.click();
          link.remove();
        }, "image/png");
      };
      image.src = button.dataset.svgUrl;
    });
  });
})();
