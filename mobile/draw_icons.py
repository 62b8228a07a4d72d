"""Draw the phone app's icons with Pillow (no outside downloads): a house on blue.

Run `.venv/bin/python -m mobile.draw_icons` from the repository root to redraw them.
"""

from PIL import Image, ImageDraw


def draw(size, maskable=False):
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    s = size / 512
    if maskable:
        d.rectangle([0, 0, size, size], fill=(13, 110, 253, 255))
        pad = 0.2
    else:
        d.rounded_rectangle(
            [0, 0, size - 1, size - 1], radius=int(96 * s), fill=(13, 110, 253, 255)
        )
        pad = 0.1
    inner = size * (1 - 2 * pad)
    ox = oy = size * pad

    def p(x, y):
        return (ox + x * inner, oy + y * inner)

    # sun
    d.ellipse([*p(0.68, 0.08), *p(0.88, 0.28)], fill=(255, 193, 7, 255))
    # roof
    d.polygon([p(0.10, 0.50), p(0.50, 0.18), p(0.90, 0.50)], fill=(255, 255, 255, 255))
    # body
    d.rectangle([*p(0.20, 0.48), *p(0.80, 0.86)], fill=(255, 255, 255, 255))
    # door
    d.rectangle([*p(0.43, 0.62), *p(0.57, 0.86)], fill=(13, 110, 253, 255))
    # ground
    d.rectangle([*p(0.05, 0.86), *p(0.95, 0.90)], fill=(25, 135, 84, 255))
    return img


if __name__ == "__main__":
    out = "mobile/static/mobile/icons/"
    for size in (192, 512):
        draw(size).save(out + f"icon-{size}.png")
    draw(512, maskable=True).save(out + "maskable-512.png")
