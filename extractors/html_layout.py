"""An HTML page as a flat list of text blocks with the layout signals that classify them.

Three steps, none tied to one template:

1. :func:`remove_site_chrome` drops the site header, navigation, breadcrumbs, "Page Top"
   links, pager and footer. An element is chrome by its tag (``nav``, a page-level
   ``header``/``footer``), its ARIA role, or a class/id word (``breadcrumb``, ``gnavi``,
   ``topicpath``, ``pager`` ...) — but never when it holds running prose or sits
   between paragraphs without being mostly links, so content is not lost to a
   misleading class name.
2. :func:`find_boxes` finds boxed features ("columns"): ``aside``, a class/id word such
   as ``column``/``box``/``topic``, a bordered one-cell table, or a bordered ``div``.
3. :func:`html_blocks` walks the page in reading order and yields :class:`HtmlBlock` s:
   visible text (never ``alt``/``title`` attributes) plus the heading rank, whether
   the whole text is bold, class/id hints, the enclosing box, list membership, and
   whether the text sits before or after an image in the same small container
   (figure titles sit above a figure, photo captions below a photo).

Footnote markers in ``<sup>`` are kept in the text wrapped in :data:`MARK_OPEN` /
:data:`MARK_CLOSE`, because only the caller knows which numbers are real footnotes
(``km<sup>2</sup>`` is not one).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from bs4.element import Doctype, ProcessingInstruction

from docbrief.text import normalize_whitespace

__all__ = [
    "MARK_CLOSE",
    "MARK_OPEN",
    "HtmlBlock",
    "find_boxes",
    "html_blocks",
    "is_navigation_text",
    "remove_site_chrome",
]

MARK_OPEN = "\ue000"
MARK_CLOSE = "\ue001"

BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption center dd details dir div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hr li main menu nav ol p pre section summary table "
    "tbody td tfoot th thead tr ul".split()
)
SKIP_TAGS = frozenset(
    "script style noscript template button select input textarea iframe object embed head "
    "title meta link map area canvas video audio svg".split()
)
_BOLD_TAGS = frozenset({"b", "strong"})
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(bold|[6-9]00)", re.IGNORECASE)
_MARKER_TEXT = re.compile(r"^\s*[\(（\[]?\s*[*※]?\s*(\d{1,3})\s*[\)）\]]?\s*$")

# Words in class/id values that mark site chrome. Short words must be a whole part of
# the value ("side", "pager"); long ones may be inside it ("siteHeader", "gnavi").
_CHROME_PARTS = frozenset(
    "header footer nav navi gnav gnavi menu pager pagination breadcrumb breadcrumbs topicpath pankuzu "
    "pagetop totop sitemap skip side sidebar share sns social search banner utility".split()
)
_CHROME_INFIXES = ("header", "footer", "navi", "breadcrumb", "topicpath", "pankuzu", "pagetop",
                   "page-top", "to-top", "totop", "pagination", "sitemap", "sidebar", "globalnav",
                   "localnav", "sidenav")
_CHROME_ROLES = frozenset({"navigation", "banner", "contentinfo", "search"})
_BOX_WORDS = re.compile(r"(^|[-_])(column|colum|box|topic|feature|special|kakomi|frame|panel|callout)s?($|[-_\d])")
_NAVIGATION_TEXT = re.compile(
    r"^(page ?top|back to (the )?top( of (the )?page)?|to (the )?top( of (the )?page)?|top of (the )?page|"
    r"go to top|ページ(の)?(トップ|先頭)へ?|このページのトップへ|skip to (main )?content)$",
    re.IGNORECASE,
)
_PAGER_WORD = re.compile(r"^(back|next|prev|previous|contents|table of contents|index|home|top|前へ|次へ|目次)$",
                         re.IGNORECASE)
_PAGER_SEPARATORS = re.compile(r"\s*(?:<<|>>|«|»|<|>|\||｜)\s*")


@dataclass(frozen=True)
class HtmlBlock:
    """One run of visible text and the signals needed to classify it."""

    text: str
    heading_rank: int | None
    emphasized: bool
    hints: frozenset[str]
    box: int | None
    list_item: bool
    media: str | None  # "before_image" | "after_image" | None
    link_only: bool


def _tokens(element: Tag) -> list[str]:
    values: list[str] = []
    classes = element.get("class") or []
    values.extend(classes if isinstance(classes, list) else str(classes).split())
    if element.get("id"):
        values.append(str(element["id"]))
    return [value.lower() for value in values]


def _is_chrome_token(token: str) -> bool:
    parts = re.split(r"[-_\s]+", token)
    return any(part in _CHROME_PARTS for part in parts) or any(infix in token for infix in _CHROME_INFIXES)


def _link_density(element: Tag) -> float:
    text = len(element.get_text(" ", strip=True))
    if not text:
        return 1.0
    linked = sum(len(a.get_text(" ", strip=True)) for a in element.find_all("a"))
    return min(1.0, linked / text)


def _prose_length(element: Tag) -> int:
    """Characters of running text outside links."""
    total = 0
    for string in element.find_all(string=True):
        if isinstance(string, Comment) or string.find_parent("a") is not None:
            continue
        if string.parent is not None and string.parent.name in SKIP_TAGS:
            continue
        total += len(string.strip())
    return total


def _inside_sectioning(element: Tag) -> bool:
    return element.find_parent(["article", "main", "section"]) is not None


def _is_chrome_candidate(element: Tag) -> bool:
    if element.name == "nav":
        return True
    if element.name in ("header", "footer") and not _inside_sectioning(element):
        return True
    if str(element.get("role", "")).lower() in _CHROME_ROLES:
        return True
    return any(_is_chrome_token(token) for token in _tokens(element))


def remove_site_chrome(root: Tag) -> list[str]:
    """Remove chrome from ``root`` in place; return a short description of each removal."""
    for node in root.find_all(string=lambda s: isinstance(s, (Comment, Doctype, ProcessingInstruction))):
        node.extract()
    for element in root.find_all(list(SKIP_TAGS)):
        element.decompose()
    # Where running prose starts and ends: chrome between paragraphs needs more proof.
    order = {id(node): index for index, node in enumerate(root.descendants)}
    prose = [order[id(s)] for s in root.find_all(string=True)
             if len(s.strip()) >= 100 and s.find_parent("a") is None]
    first, last = (prose[0], prose[-1]) if prose else (0, 0)

    removed: list[str] = []
    for element in list(root.find_all(True)):
        if element.decomposed or not _is_chrome_candidate(element):
            continue
        if _prose_length(element) >= 300:
            continue  # holds running text: content, whatever its class says
        position = order.get(id(element), 0)
        if first < position < last and _link_density(element) < 0.5 and element.name != "nav":
            continue  # mid-content and not mostly links: a content element with a chrome-like name
        label = element.name + "".join(f"#{t}" for t in _tokens(element)[:2])
        removed.append(label)
        element.decompose()
    return removed


def _is_boxed_table(element: Tag) -> bool:
    if element.name != "table":
        return False
    cells = element.find_all(["td", "th"])
    bordered = str(element.get("border", "0")).strip() not in ("", "0") or "border" in str(element.get("style", ""))
    return len(cells) == 1 and bordered


def find_boxes(root: Tag) -> dict[int, int]:
    """Map ``id(element)`` to a box number for each boxed feature (outermost only)."""
    total = len(root.get_text(" ", strip=True)) or 1
    boxes: dict[int, int] = {}
    for element in root.find_all(True):
        is_box = (
            element.name == "aside"
            or str(element.get("role", "")).lower() in ("complementary", "note")
            or any(_BOX_WORDS.search(token) for token in _tokens(element))
            or _is_boxed_table(element)
            or (element.name in ("div", "section") and "border" in str(element.get("style", "")))
        )
        if not is_box:
            continue
        if any(id(parent) in boxes for parent in element.parents):
            continue
        if len(element.get_text(" ", strip=True)) > 0.6 * total:
            continue  # the page frame itself, not a feature inside it
        boxes[id(element)] = len(boxes) + 1
    return boxes


def is_navigation_text(block: HtmlBlock) -> bool:
    """'Page Top', 'Back to Top', or a pager such as '<< Previous | Contents | Next >>'."""
    if _NAVIGATION_TEXT.match(block.text):
        return True
    words = [word for word in _PAGER_SEPARATORS.split(block.text) if word]
    if not words or not all(_PAGER_WORD.match(word) for word in words):
        return False
    return block.link_only or len(words) >= 2


def _is_icon(img: Tag) -> bool:
    """A PDF or external-link icon is not a figure or photo."""
    alt = str(img.get("alt", "")).strip().lower()
    sizes = [str(img.get(attr, "")) for attr in ("width", "height")]
    small = any(size.isdigit() and int(size) <= 32 for size in sizes)
    return small or "icon" in str(img.get("src", "")).lower() or alt in {"pdf", "icon", "external link", "new window"}


def _is_block_element(node: Tag) -> bool:
    return node.name in BLOCK_TAGS or node.find(list(BLOCK_TAGS)) is not None


def _media_container(owner: Tag, root: Tag) -> Tag | None:
    """The small container (up to two levels up) that holds an image next to this text."""
    node: Tag | None = owner
    for _ in range(3):
        if node is None or node is root:
            return None
        image = node.find("img")
        if image is not None and not _is_icon(image):
            text = len(node.get_text(" ", strip=True))
            return node if text <= 600 else None
        node = node.parent
    return None


class _Walker:
    def __init__(self, root: Tag, boxes: dict[int, int]) -> None:
        self.root = root
        self.boxes = boxes
        self.order = {id(node): index for index, node in enumerate(root.descendants)}
        self.blocks: list[HtmlBlock] = []
        self._containers: dict[int, Tag | None] = {}

    def media_container(self, owner: Tag) -> Tag | None:
        if id(owner) not in self._containers:
            self._containers[id(owner)] = _media_container(owner, self.root)
        return self._containers[id(owner)]

    def walk(self, element: Tag, hints: frozenset[str], box: int | None, list_item: bool, rank: int | None) -> None:
        hints = hints | frozenset(_tokens(element))
        box = self.boxes.get(id(element), box)
        list_item = list_item or element.name in ("li", "dd")
        if element.name in ("h1", "h2", "h3", "h4", "h5", "h6"):
            rank = int(element.name[1])
        run: list[NavigableString | Tag] = []
        for child in element.children:
            if isinstance(child, Tag):
                if child.name in SKIP_TAGS:
                    continue
                if _is_block_element(child):
                    self.flush(run, element, hints, box, list_item, rank)
                    run = []
                    self.walk(child, hints, box, list_item, rank)
                    continue
            run.append(child)
        self.flush(run, element, hints, box, list_item, rank)

    def _pieces(self, node: NavigableString | Tag) -> Iterator[tuple[str, str, Tag | None]]:
        """Yield ("text", string, parent) / ("image", "", img) / ("mark", digits, sup) in order."""
        if isinstance(node, NavigableString):
            if not isinstance(node, Comment):
                yield "text", str(node), node.parent
            return
        if node.name == "img":
            if not _is_icon(node):
                yield "image", "", node
        elif node.name == "br":
            yield "text", " ", node
        elif node.name == "sup" and _MARKER_TEXT.match(node.get_text()):
            yield "mark", _MARKER_TEXT.match(node.get_text()).group(1), node
        elif node.name not in SKIP_TAGS:
            for child in node.children:
                yield from self._pieces(child)

    def flush(self, run: list, owner: Tag, hints: frozenset[str], box: int | None,
              list_item: bool, rank: int | None) -> None:
        if not run:
            return
        segments: list[list[tuple[str, str, Tag | None]]] = [[]]
        images = 0
        for node in run:
            for piece in self._pieces(node):
                if piece[0] == "image":
                    images += 1
                    segments.append([])
                else:
                    segments[-1].append(piece)
        container = None if images else self.media_container(owner)
        for index, segment in enumerate(segments):
            text = normalize_whitespace("".join(
                f"{MARK_OPEN}{value}{MARK_CLOSE}" if kind == "mark" else value for kind, value, _ in segment
            ))
            if not text.replace(MARK_OPEN, "").replace(MARK_CLOSE, ""):
                continue
            if images:
                media = "before_image" if index == 0 else "after_image"
            elif container is not None:
                first_image = self.order.get(id(container.find("img")), 0)
                media = "before_image" if self.order.get(id(run[0]), 0) < first_image else "after_image"
            else:
                media = None
            strings = [(value, parent) for kind, value, parent in segment if kind == "text" and value.strip()]
            self.blocks.append(HtmlBlock(
                text=text,
                heading_rank=rank,
                emphasized=bool(strings) and all(self._is_bold(parent, owner) for _, parent in strings),
                hints=hints,
                box=box,
                list_item=list_item,
                media=media,
                link_only=bool(strings) and all(self._in_link(parent, owner) for _, parent in strings),
            ))

    @staticmethod
    def _ancestors_to(node: Tag | None, owner: Tag) -> Iterator[Tag]:
        while node is not None and node is not owner:
            yield node
            node = node.parent
        if node is owner:
            yield owner

    def _is_bold(self, node: Tag | None, owner: Tag) -> bool:
        return any(
            n.name in _BOLD_TAGS or _BOLD_STYLE.search(str(n.get("style", ""))) or "bold" in _tokens(n)
            for n in self._ancestors_to(node, owner)
        )

    def _in_link(self, node: Tag | None, owner: Tag) -> bool:
        return any(n.name == "a" and n.get("href") is not None for n in self._ancestors_to(node, owner))


def html_blocks(soup: BeautifulSoup) -> tuple[list[HtmlBlock], list[str]]:
    """Linearise a parsed page: ``(blocks in reading order, chrome removed)``."""
    root = soup.body or soup
    removed = remove_site_chrome(root)
    walker = _Walker(root, find_boxes(root))
    walker.walk(root, frozenset(), None, False, None)
    blocks = [block for block in walker.blocks if not is_navigation_text(block)]
    return blocks, removed
