"""Is a message clearly Indonesian or clearly English? Function words decide.

Regional words (Javanese, Sundanese) count for neither, so a Javanese message is
``None`` unless it also carries enough Indonesian.
"""

from __future__ import annotations

from nlu.text import words

_ENGLISH = frozenset(
    words(
        """
        the a an is are was were be been my our your you i we they he she it this that these
        those to of in on at for from with without and or but not no has have had do does did
        can could would should will please there here what where when how why which who any some
        since ago last yesterday today near street road thanks thank hello hi yes want like
        about into because very been still never just report complaint broken
        """
    )
)
_INDONESIAN = frozenset(
    words(
        """
        yang di ke dari dan atau tapi tidak belum bukan sudah ada ini itu untuk dengan saya aku
        kami kita mereka dia anda mau ingin bisa harus sangat banget sekali juga lagi masih jadi
        karena kalau sejak sampai mohon tolong terima kasih makasih pak bu bapak ibu admin apa
        kenapa bagaimana kapan dimana berapa siapa jalan rusak warga laporan lapor rumah kampung
        desa kota kabupaten kemarin tadi hari minggu bulan tahun sekarang dong nih ya iya oke
        selamat pagi siang sore malam halo minta dapat sama buat akan telah sedang pernah
        tersebut agar supaya setiap semua banyak sering kok
        """
    )
)


def detect_language(words: list[str]) -> str | None:
    """``"id"``, ``"en"`` or ``None`` for normalised ``words`` (slang already expanded)."""
    english = sum(w in _ENGLISH for w in words)
    indonesian = sum(w in _INDONESIAN for w in words)
    if english and not indonesian and (english >= 2 or len(words) <= 2):
        return "en"
    if indonesian and not english and (indonesian >= 2 or len(words) <= 2):
        return "id"
    if english >= 3 * indonesian and english >= 3:
        return "en"
    if indonesian >= 3 * english and indonesian >= 3:
        return "id"
    return None
