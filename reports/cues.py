"""Readable cues in a report's text: what a person would point at to say why it is (or is not) a scam.

Each cue is a small multilingual lexicon or a structural test ("asks for a money transfer",
"promises a prize", "link through a URL shortener", "says how to opt out, like genuine
marketing"). The learned classifier uses them as features next to words and character n-grams,
and names them to moderators as the reason for a category, together with the citizen's own words
that matched. Descriptions are English msgids, translated in the catalogues.

Matching is done on an *aligned* form of the text: every character folded on its own (NFKC,
lower case, Latin accents dropped), so an index in the folded text is the same index in the
original and the phrase shown is exactly what the citizen wrote.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import ahocorasick

from harmline.reports.indicators import is_shortener, registrable_domain


def N_(message: str) -> str:
    """Marks a msgid for pybabel (``-k N_``); translated where it is shown."""
    return message


@dataclass(frozen=True)
class Cue:
    name: str
    description: str  # English msgid
    harmful: bool  # a sign of harm (True) or of a genuine message (False)


@dataclass(frozen=True)
class CueMatch:
    name: str
    phrase: str  # the citizen's words that matched, verbatim ("" for a structural cue)


CUES: dict[str, Cue] = {cue.name: cue for cue in (
    Cue("asks_money", N_("asks for a money transfer or a payment"), True),
    Cue("account_number", N_("gives a bank account to pay into"), True),
    Cue("asks_code", N_("asks for a code, PIN or password"), True),
    Cue("sends_code_back", N_("asks you to send back or read out a code you received"), True),
    Cue("asks_personal_data", N_("asks for personal or card details"), True),
    Cue("promises_prize", N_("promises a prize or a reward"), True),
    Cue("offers_job", N_("offers easy work or commissions"), True),
    Cue("offers_loan", N_("offers a quick loan"), True),
    Cue("promises_returns", N_("promises investment profits"), True),
    Cue("threatens", N_("threatens or pressures to act now"), True),
    Cue("claims_authority", N_("claims to be the police, a court, customs, a tax office or a bank"), True),
    Cue("family_emergency", N_("says a relative or friend is in trouble or has a new number"), True),
    Cue("gambling", N_("gambling words (slots, casino, betting)"), True),
    Cue("gambling_bonus", N_("offers a deposit bonus or free credit"), True),
    Cue("gambling_brand", N_("names a site the way gambling brands are named (NAME77, NAME88, NAME4D)"), True),
    Cue("disguised_words", N_("writes words with look-alike digits or symbols (B0NUS, S!ot) to get past filters"),
        True),
    Cue("moves_to_chat_app", N_("asks to continue on WhatsApp, Telegram, LINE or another chat app"), True),
    Cue("chain_message", N_("urges forwarding or makes a sensational claim"), True),
    Cue("reports_scam", N_("the citizen says they were cheated"), True),
    Cue("link", N_("contains a link"), True),
    Cue("short_link", N_("link through a URL shortener"), True),
    Cue("suspicious_link", N_("link to a look-alike or throw-away domain"), True),
    Cue("opt_out", N_("says how to opt out or names a service code, like genuine marketing"), False),
    Cue("safety_warning", N_("warns not to share codes or about scams, like genuine notices"), False),
    Cue("gives_code", N_("gives a one-time code, as genuine code messages do"), False),
)}


# --- lexicons -----------------------------------------------------------------------------------
# Latin-script terms are matched as whole words on the folded text (accents dropped, so Vietnamese
# typed without diacritics matches too); terms in other scripts anywhere. A trailing "*" allows any
# word ending ("transfer*" matches "transferred", "ditransfer" needs its own entry).

_LEXICON: dict[str, str] = {
    "asks_money": """
        transfer* | send money | send me | pay a fee | pay the fee | pay now | payment first | processing fee |
        admin fee | release fee | clearance fee | deposit first | top up | topup | bank in | bank-in |
        pay * first | bayar* | pindahkan | masukkan duit | hantar duit | yuran | caj | deposit dulu |
        kirim uang | kirim dana | tf dulu | trf | biaya admin | biaya pengiriman |
        isi pulsa | minta pulsa | pulsa dulu |
        magpadala | padalhan | ipadala | bayaran | magbayad | bayad muna | i-send | send na |
        chuyen khoan | chuyen tien | nop tien | dong phi | phi xu ly | nap tien | gui tien | ck truoc |
        transferir | transferência | pagar | pagamento | taxa | deposita | selu | haruka osan | manda osan |
        โอน | ชำระ | ค่าธรรมเนียม | มัดจำ | จ่ายเงิน | วางเงิน |
        转账 | 汇款 | 付款 | 手续费 | 保证金 | 打钱 |
        பணம் அனுப்ப | கட்டணம் | செலுத்த |
        ផ្ទេរប្រាក់ | បង់ប្រាក់ | ថ្លៃសេវា | ផ្ញើប្រាក់ |
        ໂອນເງິນ | ໂອນ | ຈ່າຍເງິນ | ຄ່າທຳນຽມ |
        ငွေလွှဲ | လွှဲ | ငွေပေး | ကြေး |
        打款 | 转钱 | 汇钱 | 押金 | 解冻费 | 垫付 |
        பணப் பரிமாற்றம் | பணத்தை அனுப்ப | டிரான்ஸ்ஃபர் | முன்பணம் | வைப்புத்தொகை | பணம் கட்ட |
        ផ្ទេរលុយ | វេរលុយ | បង់លុយ | ផ្ញើលុយ | ដាក់ប្រាក់ | កក់ប្រាក់ | ថ្លៃដំណើរការ | ថ្លៃរដ្ឋបាល |
        ສົ່ງເງິນ | ຊຳລະເງິນ | ມັດຈຳ | ຄ່າດຳເນີນການ | ຈ່າຍກ່ອນ | ໂອນກ່ອນ |
        ငွေပို့ | ငွေသွင်း | ကြိုတင်ငွေ | ဝန်ဆောင်ခ | kpay | wavepay |
        fó osan | tau osan | depózitu | taxa administrasaun | haruka pulsa |
        pague | transfira | deposite | envie dinheiro | envie o dinheiro | adiantamento
    """,
    "asks_code": """
        otp | pin | password | passcode | verification code | security code | 6-digit | 6 digit | tac |
        kode otp | kata laluan | kod tac | kode verifikasi | sandi | mpin |
        ma otp | mat khau | ma xac nhan | ma pin |
        código de verificação | senha |
        รหัส | otp |
        验证码 | 密码 |
        கடவுச்சொல் | ரகசிய |
        លេខកូដ | ពាក្យសម្ងាត់ |
        ລະຫັດ |
        လျှို့ဝှက်နံပါတ် | ကုဒ် |
        动态码 | 校验码 | 短信码 | 安全码 | 六位数字 | 授权码 | 口令 |
        ஓடிபி | சரிபார்ப்புக் குறியீடு | பின் எண் | 6 இலக்க | குறியீட்டை அனுப்ப | பாஸ்வேர்டு | கடவுக்குறியீடு |
        កូដសម្ងាត់ | លេខសម្ងាត់ | កូដផ្ទៀងផ្ទាត់ | លេខ PIN | កូដOTP | ៦ខ្ទង់ |
        ລະຫັດ OTP | ລະຫັດຜ່ານ | ລະຫັດຢືນຢັນ | ລະຫັດ PIN | ລະຫັດລັບ | ເລກ 6 ຫຼັກ | ໂອທີພີ |
        စကားဝှက် | အတည်ပြုကုဒ် | ပင်နံပါတ် | လျှို့ဝှက်ကုဒ် | ဂဏန်း ၆ လုံး | OTP နံပါတ် |
        kódigu sekretu | kódigu verifikasaun | haruka kódigu | fó kódigu | númeru PIN | kódigu konfirmasaun |
        código de confirmação | código de acesso | código de segurança | palavra-passe | código sms | 6 dígitos |
        código que recebeu
    """,
    # Genuine one-time-password messages name the code too; what only a thief writes is the request to
    # pass it on. (Thai: with "มา"/"ให้", to me; "ห้ามแจ้งรหัส", never tell the code, is a warning.)
    "sends_code_back": """
        reply with the code | reply with the otp | reply with otp | reply with your otp | send me the code |
        send the code | send us the code | give me the code | tell me the code | reply with the * code |
        reply with the * otp | reply with the * tac | reply with your * code | reply with your * otp |
        read out the code | forward the code | send the otp | give the otp | provide the otp | provide the code |
        code you just received | code you received |
        hantar kod | berikan kod | beritahu kod | bagi kod | balas dengan kod | kod yang anda terima |
        kirim kode | kirimkan kode | berikan kode | sebutkan kode | bagikan kodenya | kasih kode | kode yang masuk |
        kode yg masuk | balas dengan kode | infokan kode | kirim otp | sebutkan otp |
        ibigay ang otp | ibigay ang code | i-send ang code | i-send ang otp | sabihin ang code | pakisend ang code |
        send mo ang code | code na natanggap |
        gui ma | cung cap ma | doc ma | gui lai ma | cho xin ma |
        envie o código | diga o código | forneça o código | código que recebeu |
        ด้วยรหัส | ส่งรหัสมา | บอกรหัสมา | แจ้งรหัสมา | แจ้งรหัส | บอกรหัส | อ่านรหัส | แจ้ง otp | ให้เลข otp | ส่งต่อรหัส |
        把验证码发给 | 告诉我验证码 | 提供验证码 | 验证码发给我 | 报一下验证码
    """,
    "asks_personal_data": """
        ic number | nric | identity card | id card | card number | cvv | expiry date | date of birth |
        full name and | selfie | mother's maiden | bank login | online banking | login details |
        no ic | nombor ic | mykad | ktp | foto ktp | nomor kartu | data diri | nik |
        valid id | buong pangalan | account details |
        cccd | cmnd | so the | thong tin ca nhan | can cuoc |
        bilhete de identidade | dados pessoais | número do cartão |
        บัตรประชาชน | เลขบัตร | ข้อมูลส่วนตัว |
        身份证 | 银行卡号 | 个人资料 |
        அடையாள அட்டை |
        អត្តសញ្ញាណប័ណ្ណ | ព័ត៌មានផ្ទាល់ខ្លួន |
        ບັດປະຈຳຕົວ |
        မှတ်ပုံတင် | ကိုယ်ရေးအချက်အလက် |
        卡号 | 有效期 | 出生日期 | 护照号 | 个人信息 | 身份信息 | 实名认证 | 网银登录 |
        அட்டை எண் | பிறந்த தேதி | கடவுச்சீட்டு | தனிப்பட்ட விவரங்கள் | வங்கி விவரங்கள் | ஐசி எண் | முழுப் பெயர் |
        செல்ஃபி |
        លេខកាត | កាតធនាគារ | ថ្ងៃខែឆ្នាំកំណើត | លិខិតឆ្លងដែន | ឈ្មោះពេញ | ថតសែលហ្វី | ព័ត៌មានគណនី |
        ຂໍ້ມູນສ່ວນຕົວ | ເລກບັດ | ວັນເດືອນປີເກີດ | ໜັງສືຜ່ານແດນ | ສຳມະໂນຄົວ | ບັດ ATM | ຊື່ ແລະ ນາມສະກຸນ |
        ကတ်နံပါတ် | ဘဏ်ကတ် | မွေးသက္ကရာဇ် | နိုင်ငံကူးလက်မှတ် | အမည်အပြည့်အစုံ | ဆယ်လ်ဖီ | အကောင့်အချက်အလက် |
        kartaun eleitorál | bilhete identidade | dadus pesoál | númeru kartaun | data moris | pasaporte |
        naran kompletu |
        cartão de cidadão | cartão de eleitor | data de nascimento | data de validade | passaporte |
        nome completo | dados bancários | dados do cartão
    """,
    "promises_prize": """
        you have won | you've won | you won | winner | prize* | congratulations | congrats | lucky draw |
        claim your | claim now | reward* | giveaway | selected to receive | free gift | cash prize |
        tahniah | hadiah | menang | pemenang | undian | cabutan bertuah | selamat anda | anda terpilih |
        mendapatkan hadiah | cek tunai |
        nanalo | panalo | premyo | papremyo | ikaw ay napili | swerte |
        trung thuong | giai thuong | qua tang | phan thuong | chuc mung | may man |
        ganhou | prémio | premio | parabéns | sorteio | manán | premiu |
        ได้รับรางวัล | รางวัล | ยินดีด้วย | โชคดี | ลุ้นรับ | แจกฟรี |
        中奖 | 奖品 | 恭喜 | 幸运 | 领取 |
        பரிசு | வாழ்த்துக்கள் | வென்ற |
        រង្វាន់ | អបអរសាទរ | ឈ្នះ |
        ລາງວັນ | ຂໍສະແດງຄວາມຍິນດີ | ໂຊກດີ |
        ဆုငွေ | ကံစမ်း | ဆုရ | လက်ဆောင် | ဂုဏ်ယူပါ |
        抽奖 | 大奖 | 奖金 | 获奖 | 兑奖 | 红包 | 被选中 |
        அதிர்ஷ்டக் குலுக்கல் | குலுக்கல் | வெகுமதி | தேர்ந்தெடுக்கப்பட்டுள்ளீர்கள் | அதிர்ஷ்டசாலி |
        ចាប់ឆ្នោត | ឆ្នោតសំណាង | លាភសំណាង | ត្រូវបានជ្រើសរើស |
        ຊິງໂຊກ | ຈັບສະຫລາກ | ຈັບສະຫຼາກ | ໄດ້ຮັບເລືອກ | ແຈກຟຣີ |
        ကံထူး | ဆုကြီး | ထီပေါက် | ဆုမဲ | ရွေးချယ်ခံရ | အခမဲ့ရယူ |
        sorteiu | rekompensa | selesionadu | vensedór |
        vencedor | contemplado | recompensa | brinde | foi selecionado | foi selecionada | reclame já
    """,
    "offers_job": """
        part time | part-time | parttime | work from home | earn * per day | earn * daily | daily income |
        commission* | simple task* | tasks | like videos | hiring | job offer | salary | side income |
        kerja sambilan | kerja dari rumah | pendapatan harian | gaji | komisen | komisi | tugas |
        lowongan | kerja online | kerja paruh waktu | cuan harian | penghasilan |
        trabaho | kumita | sahod | raket | work at home |
        viec lam | viec nhe | lam online | hoa hong | thu nhap | nhiem vu | cong tac vien | ctv |
        trabalho | emprego | salário | comissão | servisu |
        รายได้เสริม | งานออนไลน์ | งานพิเศษ | หางาน | ค่าคอม | รายได้ต่อวัน | กดไลค์ |
        兼职 | 佣金 | 日薪 | 在家工作 | 刷单 |
        பகுதி நேர | வேலை வாய்ப்பு | சம்பளம் |
        ការងារ | កម្រៃជើងសារ | ប្រាក់ខែ |
        ວຽກ | ລາຍໄດ້ |
        အလုပ် | လစာ | ကော်မရှင် |
        做任务 | 点赞赚钱 | 轻松赚钱 | 高薪 | 提成 | 日结 | 返佣 | 招聘 |
        வீட்டிலிருந்து வேலை | பார்ட் டைம் | கமிஷன் | தினசரி வருமானம் | கூடுதல் வருமானம் | ஆன்லைன் வேலை | டாஸ்க் |
        ធ្វើការពីផ្ទះ | ក្រៅម៉ោង | ចំណូលបន្ថែម | ប្រាក់ចំណូលប្រចាំថ្ងៃ | រកលុយតាមអនឡាញ | ជ្រើសរើសបុគ្គលិក |
        កូមីស្យុង |
        ຮັບສະໝັກ | ເຮັດຢູ່ເຮືອນ | ພາດທາມ | ຄ່າຄອມ | ຄ່ານາຍໜ້າ | ກົດໄລ້ |
        အချိန်ပိုင်း | နေ့စဉ်ဝင်ငွေ | ဝင်ငွေရ | ဝန်ထမ်းခေါ် | အိမ်မှာနေရင်း | ငွေရှာ |
        komisaun | vaga servisu | servisu husi uma | parte-tempu | osan fasil | rekrutamentu |
        comissões | tarefas simples | a partir de casa | ganhe * por dia | ganhos diários | renda extra |
        tempo parcial | recrutamento
    """,
    "offers_loan": """
        loan* | lending | no collateral | fast approval | quick cash | instant cash |
        pinjaman | pinjam | pinjol | pinjaman dana | dana tunai | dana cair | cair cepat |
        tanpa agunan | tanpa jaminan |
        bunga rendah | kredit | ah long |
        pautang | utang | uutang | lending app | cash loan |
        vay tien | vay nhanh | vay von | khoan vay | giai ngan | khong the chap | lai suat |
        empréstimo | emprestimo | crédito | osan empresta |
        เงินกู้ | กู้เงิน | สินเชื่อ | วงเงิน | อนุมัติไว | ไม่ต้องค้ำ |
        贷款 | 借钱 | 借贷 | 免抵押 |
        கடன் |
        ប្រាក់កម្ចី | កម្ចី | ខ្ចីប្រាក់ |
        ເງິນກູ້ | ກູ້ເງິນ | ສິນເຊື່ອ |
        ချေးငွေ | ငွေချေး | အတိုး |
        借款 | 网贷 | 低息 | 无抵押 | 秒批 | 放款 | 下款 | 额度 |
        லோன் | குறைந்த வட்டி | வட்டியில்லா | பிணையின்றி | ஜாமீன் இல்லாமல் | உடனடி ஒப்புதல் |
        ខ្ចីលុយ | ឥណទាន | ការប្រាក់ទាប | គ្មានទ្រព្យធានា | មិនចាំបាច់ដាក់ធានា | អនុម័តរហ័ស | បើកប្រាក់ភ្លាមៗ |
        ກູ້ຢືມ | ຢືມເງິນ | ດອກເບ້ຍຕ່ຳ | ບໍ່ຕ້ອງຄ້ຳ | ອະນຸມັດໄວ | ວົງເງິນ | ບໍ່ຕ້ອງມີຫຼັກຊັບ |
        ချေးပေး | ချေးမည် | အာမခံမလို | ချက်ချင်းထုတ်ပေး | အရစ်ကျ | ငွေလိုအပ် |
        empréstimu | kreditu | empresta osan | juru ki'ik | la presiza garantia | aprovasaun lalais | osan lalais |
        empréstimos | financiamento | sem fiador | sem garantia | juros baixos | aprovação imediata | dinheiro rápido
    """,
    "promises_returns": """
        investment | invest* | guaranteed return* | profit* | returns | roi | forex | crypto | usdt | bitcoin |
        trading | double your | passive income |
        pelaburan | pulangan | untung | keuntungan | investasi | profit harian | modal kecil |
        puhunan | tubo |
        dau tu | loi nhuan | sinh loi | lai hang ngay | tien ao |
        investimento | lucro | rendimento |
        ลงทุน | ผลตอบแทน | กำไร | ปันผล |
        投资 | 收益 | 回报 | 理财 | 稳赚 |
        முதலீடு | லாபம் |
        វិនិយោគ | ប្រាក់ចំណេញ |
        ລົງທຶນ | ກຳໄລ |
        ရင်းနှီးမြှုပ်နှံ | အမြတ် |
        保本 | 躺赚 | 翻倍 | 带单 | 虚拟币 | 炒币 | 分红 | 日息 |
        முதலீட்டு | லாபத் | உத்தரவாதமான வருமானம் | இரட்டிப்பு | கிரிப்டோ | பிட்காயின் | டிரேடிங் |
        ចំណេញ | ភាគលាភ | គ្រីបតូ | ការប្រាក់ខ្ពស់ | ទុនតិច | ចំណូលអកម្ម | ប៊ីតខញ |
        ຜົນຕອບແທນ | ປັນຜົນ | ຄຣິບໂຕ | ເທຣດ | ທຶນໜ້ອຍ | ດອກເບ້ຍສູງ |
        ပြန်ရငွေ | ငွေနှစ်ဆ | အစုရှယ်ယာ | ကရစ်ပ်တို | ဘစ်ကွိုင်း | အရင်းနည်း |
        lukru | rendimentu | retornu | dobra osan | juru aas | kapitál ki'ik | kripto |
        lucros | rendimentos | retorno garantido | rentabilidade | duplique o seu | criptomoeda* | juros altos
    """,
    "threatens": """
        suspended | blocked | will be closed | deactivat* | locked | arrest* | warrant | legal action | final notice |
        within 24 hours | immediately | urgent | last warning | penalty | overdue |
        disekat | digantung | ditutup | tindakan undang-undang | segera | dalam masa 24 jam | saman | tertunggak |
        diblokir | dinonaktifkan | ditangkap | denda | tilang | darurat | hari ini juga |
        naka-block | huhulihin | kaso | agad | multa |
        bi khoa | tam khoa | bat giu | khan cap | ngay lap tuc | phat | vi pham |
        bloqueada | bloqueado | urgente | multa | prisão |
        ถูกระงับ | ระงับ | อายัด | ด่วน | ภายใน 24 | ดำเนินคดี | จับกุม | ค่าปรับ |
        冻结 | 逮捕 | 紧急 | 罚款 | 停用 |
        முடக்க | அவசர | கைது |
        បិទ | ចាប់ខ្លួន | បន្ទាន់ |
        ລະງັບ | ດ່ວນ | ຈັບ |
        ပိတ် | အမြန် | ဖမ်း |
        封号 | 注销 | 限期 | 24小时内 | 法律责任 | 涉嫌 | 通缉 | 立即处理 |
        நிறுத்தி வைக்க | தடை செய்ய | அபராதம் | சட்ட நடவடிக்கை | 24 மணி நேரத்திற்குள் | இறுதி எச்சரிக்கை |
        ផ្អាក | បង្កក | ពិន័យ | ២៤ម៉ោង | ២៤ ម៉ោង | ចាត់វិធានការ | ប្ដឹង |
        ອາຍັດ | ປັບໃໝ | ດຳເນີນຄະດີ | ພາຍໃນ 24 | ຖືກປິດ | ຖືກບລັອກ | ຈັບກຸມ |
        ဆိုင်းငံ့ | ဒဏ်ငွေ | အရေးယူ | ဥပဒေအရ | ၂၄ နာရီအတွင်း | ထောင်ဒဏ် | နောက်ဆုံးသတိပေး |
        urjente | blokeia | suspende | prosesu legál | kastigu | komarka |
        suspensa | suspenso | desativada | ação judicial | mandado de detenção | último aviso | nas próximas 24 horas
    """,
    "claims_authority": """
        police | court | customs | tax office | inland revenue | immigration | interpol | officer | bank negara |
        pretending to be | pretended to be | claiming to be | posing as | mengaku | menyamar | nagpapanggap |
        gia danh | mao danh | แอบอ้าง | 冒充 | 假冒 |
        polis | pdrm | mahkamah | kastam | lhdn | bnm | pegawai |
        polisi | kepolisian | pengadilan | bea cukai | pajak | kejaksaan | ojk |
        pulis | korte | nbi | bir | customs officer |
        cong an | toa an | vien kiem sat | hai quan | thue | bo cong an |
        polícia | policia | tribunal | alfândega | pntl |
        ตำรวจ | ศาล | ศุลกากร | สรรพากร | dsi | กรมสอบสวน | กรมที่ดิน | กรมการขนส่ง | กรมบังคับคดี | สตช |
        公安 | 警察 | 法院 | 海关 | 税务 |
        காவல் | நீதிமன்ற | சுங்க |
        ប៉ូលីស | តុលាការ | គយ |
        ຕຳຫຼວດ | ສານ | ພາສີ |
        ရဲ | တရားရုံး | အကောက်ခွန် |
        检察院 | 警官 | 网警 | 移民局 | 大使馆 | 央行 | 银行客服 | 执法部门 |
        போலீஸ் | வருமான வரி | வரித்துறை | குடிநுழைவு | மத்திய வங்கி | நீதிபதி |
        នគរបាល | ពន្ធដារ | អយ្យការ | ធនាគារជាតិ | អន្តោប្រវេសន៍ | អគ្គនាយកដ្ឋាន |
        ຕຳຫລວດ | ໄອຍະການ | ອາກອນ | ທະນາຄານແຫ່ງ | ກວດຄົນເຂົ້າເມືອງ | ກົມພາສີ |
        ရဲစခန်း | ရဲတပ်ဖွဲ့ | အခွန်ဦးစီး | ဗဟိုဘဏ် | လူဝင်မှုကြီးကြပ်ရေး | တရားလို |
        polísia | ministériu públiku | prokuradór | autoridade tributária | bctl | imigrasaun |
        ministério público | procurador | finanças | banco central | imigração | serviço de migração
    """,
    "family_emergency": """
        new number | my new number | mum | mom | dad | accident | hospital | hospitalised | emergency | in trouble |
        nombor baru | kemalangan | hospital | kecemasan |
        nomor baru | ganti nomor | mama | papa | kecelakaan | rumah sakit | masuk rs | kena musibah |
        bagong number | naaksidente | ospital | nasa ospital |
        so moi | tai nan | cap cuu | benh vien | me oi | con dang |
        número novo | acidente | hospital |
        เบอร์ใหม่ | อุบัติเหตุ | โรงพยาบาล |
        新号码 | 车祸 | 医院 | 出事 |
        விபத்து | மருத்துவமனை |
        គ្រោះថ្នាក់ | មន្ទីរពេទ្យ |
        ອຸບັດຕິເຫດ | ໂຮງໝໍ |
        မတော်တဆ | ဆေးရုံ |
        换号 | 新号 | 猜猜我是谁 | 急需用钱 | 住院 | 手术费 | 出了点事 |
        புதிய எண் | எண்ணை மாற்றி | ஆஸ்பத்திரி | சிக்கலில் | அவசரமாகப் பணம் | மருத்துவச் செலவு |
        លេខថ្មី | ប្ដូរលេខ | ប្តូរលេខ | បុកឡាន | ត្រូវការលុយបន្ទាន់ | សង្គ្រោះបន្ទាន់ |
        ເບີໃໝ່ | ປ່ຽນເບີ | ລົດຕຳ | ສຸກເສີນ | ຕ້ອງການເງິນດ່ວນ | ເບີນີ້ແມ່ນ |
        နံပါတ်အသစ် | နံပါတ်ပြောင်း | ကားတိုက် | အရေးပေါ် | ဒုက္ခရောက် | ဆေးကုသစရိတ် |
        númeru foun | troka númeru | aksidente | emerjénsia | presiza osan lalais |
        novo número | mudei de número | troquei de número | emergência | internado | em apuros |
        preciso de dinheiro urgente
    """,
    "gambling": """
        slot* | casino | kasino | baccarat | bet | betting | sportsbook | jackpot | togel | judi | gacor | maxwin |
        scatter | rtp | spin | poker | roulette | sabong | e-sabong | jili | jueteng | lottery | 4d | toto |
        taruhan | bandar | situs | sugal | taya | tumaya | ca do | nha cai | no hu | tai xiu | lo de | danh bai |
        tongits | pusoy | color game | perya | fish shooter | free chips | jepe | jp | rungkad | modal receh |
        cassino | aposta* |
        สล็อต | บาคาร่า | คาสิโน | แทงบอล | พนัน | หวย | เดิมพัน | เว็บตรง | ยูฟ่า | ป๊อกเด้ง | ไฮโล | ยิงปลา |
        ทีเด็ดบอล | ทายผลบอล | สูตรบอล | สูตรสล็อต | สูตรบาคาร่า | น้ำเต้าปูปลา |
        赌场 | 博彩 | 老虎机 | 百家乐 | 下注 | 彩票 |
        சூதாட்ட | பந்தய |
        កាស៊ីណូ | ល្បែង | ភ្នាល់ | ស្លត |
        ຄາສິໂນ | ການພະນັນ | ສະລັອດ | ພະນັນ |
        လောင်းကစား | ကာစီနို | စလော့ |
        赌博 | 网赌 | 娱乐城 | 棋牌 | 六合彩 | 真人荷官 | 投注 | 爆分 |
        கேசினோ | ஸ்லாட் | லாட்டரி | பெட்டிங் | ஜாக்பாட் | ரம்மி | போக்கர் |
        ស៊ីសង | បាការ៉ា | ចាក់បាល់ | ជល់មាន់ | ឡុកឡាក់ | បាញ់ត្រី | ជេកផត |
        ບາຄາຣ່າ | ແທງບານ | ເດີມພັນ | ສລັອດ | ຕີໄກ່ | ຫວຍອອນລາຍ | ແຈັກພອດ |
        ဘောလောင်း | ပွဲလောင်း | ဘာကာရာ | ရှမ်းကိုးမီး | နှစ်လုံးထီ | ဂျက်ပေါ့ | ပိုကာ |
        jogu azar | futu manu | kazinu | bola guling | jogu sorte | lotaria |
        jogo de azar | jogos de azar | roleta | bacará | bingo
    """,
    "gambling_bonus": """
        deposit bonus | welcome bonus | new member bonus | first deposit | free credit | cashback | rebate |
        free bet | birthday bonus | cash out | free chip* |
        free spin* |
        bonus new member | bonus deposit | deposit * bonus | withdraw* | wd | depo | daily bonus | free 100 |
        bonus harian | bonus member baru |
        libreng | khuyen mai nap | nap dau | hoan tra |
        เครดิตฟรี | ฝากแรก | ฝาก-ถอน | ฝากถอน | คืนยอดเสีย | โบนัส |
        首存 | 彩金 | 返水 | 免费筹码 |
        ប្រាក់បន្ថែម |
        ໂບນັດ |
        ဘောနပ် |
        首充 | 存送 | 体验金 | 注册送 | 充值送 | 新会员 | 提款 | 返利 |
        போனஸ் | இலவச கிரெடிட் | முதல் வைப்பு | புதிய உறுப்பினர் | கேஷ்பேக் | இலவச ஸ்பின் |
        បូណូស | ដាក់ប្រាក់លើកដំបូង | ដកប្រាក់ | ក្រេឌីតឥតគិតថ្លៃ | សមាជិកថ្មី | ប្រាក់ត្រឡប់មកវិញ | ដាក់ដក |
        ເຄຣດິດຟຣີ | ເຄດິດຟຣີ | ຝາກຄັ້ງທຳອິດ | ຝາກ-ຖອນ | ຝາກຖອນ | ສະມາຊິກໃໝ່ | ຄືນຍອດເສຍ |
        အခမဲ့ခရက်ဒစ် | ပထမအကြိမ်ငွေသွင်း | ငွေသွင်းငွေထုတ် | အသင်းဝင်သစ် | ပြန်အမ်းငွေ | ဘိုးနပ်စ် |
        bónus | membru foun | kréditu grátis | kréditu gratuitu | depózitu dahuluk | levanta osan |
        bónus de boas-vindas | bónus de depósito | crédito grátis | rodadas grátis | giros grátis |
        primeiro depósito | levantamentos
    """,
    "moves_to_chat_app": """
        whatsapp | whatsap | watsap | wa.me | wa | telegram | line id | add line | wechat | viber | zalo | chat us |
        hubungi wa | chat wa | wasap | dm |
        kết bạn zalo | ket ban zalo | nhan tin zalo | inbox |
        แอดไลน์ | ทักไลน์ | ไอดีไลน์ | ไลน์ไอดี | ทางไลน์ | ผ่านไลน์ | คุยไลน์ | ไลน์มา |
        加微信 | 微信 | 加我 |
        វ៉ាត់សាប់ | តេឡេក្រាម |
        ວັອດແອັບ |
        ဗိုက်ဘာ |
        纸飞机 | 飞机号 | 电报 | 私聊 | 私信 | 加好友 | 扫码加 |
        வாட்ஸ்அப் | வாட்ஸ்ஆப் | வாட்சப் | டெலிகிராம் | இன்பாக்ஸ் | தனிப்பட்ட செய்தி | டிஎம் |
        តេលេក្រាម | វ៉ាត់អាប់ | ឆាតមក | ឆាតតាម | ឆាតឯកជន | បន្ថែមមិត្ត | ផ្ញើសារមក |
        ວອດແອັບ | ເທເລແກຣມ | ເທເລແກມ | ແອັດໄລນ໌ | ທັກມາ | ແອດມາ | ແຊັດສ່ວນຕົວ |
        တယ်လီဂရမ် | ဗိုင်ဘာ | ဝက်ဆပ် | မက်ဆင်ဂျာ | အင်ဘောက်စ် | ချတ်ပါ |
        haruka mensajen | kontaktu liuhusi | tama grupu | chat mai | chat ba ami | mensajen privadu |
        mensagem privada | envie mensagem | mande mensagem | chame no | contacte-nos | adicione-me | zap
    """,
    "chain_message": """
        forward this | share this | please share | viral | breaking | miracle | cure* | 100% proven |
        sebarkan | viralkan | share kan | berita | obat | ajaib | sembuh | hoaks |
        ikalat | ipasa | gamot |
        chia se ngay | lan truyen | chua khoi | than duoc |
        partilhe | partilha | cura |
        ส่งต่อ | แชร์ด่วน | รักษาหาย |
        转发 | 速看 | 神药 | 根治 |
        பகிரவும் |
        ចែករំលែក |
        ແບ່ງປັນ |
        မျှဝေ |
        扩散 | 转给 | 转起来 | 不转不是 | 偏方 | 特效药 | 震惊 |
        பகிருங்கள் | ஷேர் செய்யுங்கள் | அனைவருக்கும் அனுப்பு | பரப்புங்கள் | அதிசய மருந்து | குணமாகும் |
        முக்கிய செய்தி |
        ចែកបន្ត | ផ្ញើបន្ត | ឆែរបន្ត | ប្រាប់បន្ត | ព័ត៌មានក្ដៅ | ថ្នាំវិសេស | ជាសះស្បើយ |
        ສົ່ງຕໍ່ | ແຊຕໍ່ | ບອກຕໍ່ | ຂ່າວດ່ວນ | ຢາວິເສດ | ປິ່ນປົວຫາຍ |
        ရှယ်ပေး | ဆက်ရှယ် | ဖော်ဝပ် | လူတိုင်းသိအောင် | သတင်းထူး | အံ့ဖွယ်ဆေး | ပျောက်ကင်း |
        fahe ba ema hotu | fahe lalais | haruka ba ema seluk | ai-moruk milagre | notísia urjente |
        reencaminhe | divulgue | partilhem | passe a mensagem | milagre | milagroso
    """,
    "reports_scam": """
        scam* | scammed | cheated | fraud | i got a call | i received | lost my money | was deceived |
        kena tipu | ditipu | tertipu | penipu | penipuan | scammer | saya dapat panggilan |
        naloko | niloko | na-scam | nascam | manloloko |
        bi lua | lua dao | lua tien |
        burla | enganado | bosok | lohi |
        โดนหลอก | ถูกหลอก | มิจฉาชีพ | หลอกลวง |
        被骗 | 诈骗 | 骗子 |
        ஏமாற்ற | மோசடி |
        បោកប្រាស់ | ឆបោក |
        ຖືກຫຼອກ | ຫຼອກລວງ | ສໍ້ໂກງ |
        လိမ်လည် | အလိမ် |
        上当 | 受骗 | 骗局 | 骗了我 | 被坑 | 报警了 |
        ஏமாந்த | ஸ்கேம் | பணத்தை இழந்த | பித்தலாட்ட | ஃப்ராடு | ஃபிராடு |
        គេបោក | ត្រូវបោក | បោកលុយ | បាត់លុយ | ខាតលុយ | ជនខិលខូច |
        ຖືກຫລອກ | ຫລອກລວງ | ໂດນຫລອກ | ໂດນຫຼອກ | ເສຍເງິນ | ຂີ້ໂກງ | ຕົ້ມຕຸ໋ນ |
        လိမ်ခံရ | လိမ်သွား | လိမ်ညာ | လူလိမ် | ငွေဆုံး | ငွေပါသွား |
        fraude | lakon osan | naok osan | golpe | engana |
        burlado | burlada | burlão | burlas | enganada | perdi o meu dinheiro
    """,
    "opt_out": """
        stop to | reply stop | send stop | unsubscribe | opt out | opt-out | t&c apply | t&c | tnc | to stop |
        unreg | berhenti | ketik stop | henti | tarif |
        i-text stop |
        huy dk | tu choi | soan huy | huy |
        ยกเลิกรับ | ยกเลิกบริการ | ไม่ต้องการรับ | ยกเลิก sms |
        退订 | 回复td |
        ឈប់ |
        ຍົກເລີກ |
        ရပ်ရန် |
        回t | 拒收 | 取消订阅 | 资费 | 条款及细则 | 回复n |
        என அனுப்பவும் | விலக விரும்பினால் | சந்தாவை ரத்து | நிபந்தனைகள் பொருந்தும் | குழுவிலக | ரத்து செய்ய |
        ការជាវ | ដកការជាវ | លក្ខខណ្ឌអនុវត្ត | ផ្ញើ stop | អត្រាសេវា |
        ຢຸດຮັບ | ຢຸດບໍລິການ | ສົ່ງ stop | ເງື່ອນໄຂ | ຄ່າບໍລິການ | ແພັກເກັດ |
        stop ပို့ | စည်းကမ်းချက် | ပက်ကေ့ချ် | မလိုချင်ပါက |
        haruka stop | termu no kondisaun | pakote | atu para simu |
        envie stop | para cancelar | deixar de receber | cancelar a subscrição | termos e condições | tarifário |
        custo por sms
    """,
    "safety_warning": """
        never ask | will never | do not share | don't share | do not disclose | never share | beware | be careful |
        scam alert | report suspicious | fraud alert | keep it confidential | official website |
        jangan kongsi | jangan dedahkan | berhati-hati | awas | waspada | jangan berikan | tidak pernah meminta |
        jangan bagikan | rahasiakan | hati-hati penipuan |
        huwag ibigay | huwag ibahagi | mag-ingat | hindi kailanman |
        khong chia se | khong cung cap | canh giac | can trong | tuyet doi khong |
        não partilhe | nunca partilhe | cuidado |
        ห้ามแจ้ง | ห้ามบอก | ระวัง | อย่าหลงเชื่อ | ไม่มีนโยบาย |
        请勿 | 切勿 | 谨防 | 不要透露 |
        பகிர வேண்டாம் | எச்சரிக்கை |
        កុំផ្តល់ | ប្រុងប្រយ័ត្ន |
        ຢ່າ | ລະວັງ |
        မမျှဝေပါနှင့် | သတိပြု |
        不会索要 | 不要告诉 | 勿泄露 | 提高警惕 | 防骗 | 官方渠道 | 官方网站 |
        யாருடனும் பகிர | தெரிவிக்க வேண்டாம் | ஒருபோதும் கேட்காது | கவனமாக இருங்கள் | ஜாக்கிரதை |
        அதிகாரப்பூர்வ இணையதளம் | கொடுக்க வேண்டாம் |
        កុំផ្ដល់ | កុំប្រាប់ | កុំចែករំលែក | មិនដែលស្នើសុំ | សូមប្រយ័ត្ន | គេហទំព័រផ្លូវការ | រក្សាការសម្ងាត់ |
        ຫ້າມບອກ | ຫ້າມເປີດເຜີຍ | ບໍ່ຄວນເປີດເຜີຍ | ບໍ່ມີນະໂຍບາຍ | ເວັບໄຊທາງການ | ເຕືອນໄພ | ຢ່າຫລົງເຊື່ອ |
        မပေးပါနှင့် | မပြောပါနှင့် | မည်သူ့ကိုမျှ | သတိထား | မည်သည့်အခါမျှ | တရားဝင်ဝက်ဘ်ဆိုက် |
        labele fahe | keta fahe | keta fó | la sei husu | keta fiar |
        nunca pede | nunca solicita | não divulgue | não forneça | esteja atento | site oficial | alerta de burla
    """,
}


# Lower-case Cyrillic and Greek letters that look like Latin ones. None of harmline's 13 languages is
# written in those scripts, so in a report they only disguise a Latin word.
_HOMOGLYPHS = dict(zip("аеорсухкмтнвіјѕԁοανρτικεχ", "aeopcyxkmthbijsdoavptikex", strict=True))


def _fold_char(char: str) -> str:
    """One character folded for matching: styled letters to plain, lower case, Latin accents dropped."""
    if char.isascii():
        return char.lower()
    folded = unicodedata.normalize("NFKC", char)
    folded = folded.lower() if len(folded) == 1 else char.lower()
    if len(folded) != 1:
        return char
    if folded == "đ":
        return "d"
    if folded in _HOMOGLYPHS:  # Cyrillic or Greek letters dressed as Latin: АЕRО88
        return _HOMOGLYPHS[folded]
    if is_latin(folded):  # drop the accents Vietnamese, Portuguese and Tetum use
        return unicodedata.normalize("NFD", folded)[0]
    return folded


def is_latin(char: str) -> bool:
    """Latin letters, Vietnamese's precomposed ones (Latin Extended Additional) included."""
    return char < "\u0250" or "\u1e00" <= char <= "\u1eff"


class _FoldTable(dict[int, str]):
    """``str.translate`` table filled on first sight of each character."""

    def __missing__(self, code: int) -> str:
        self[code] = folded = _fold_char(chr(code))
        return folded


_FOLDS = _FoldTable()


def fold(text: str) -> str:
    """``text`` folded character by character: the same length, so spans map back to the original."""
    if text.isascii():
        return text.lower()
    return text.translate(_FOLDS)


@dataclass(frozen=True)
class _Term:
    cue: str
    bounded: bool  # a Latin-script term: must stand as whole word(s)
    prefix: bool  # "transfer*": any word ending may follow


_GAP = r"\s+\S+\s+"  # "earn * per day": one word in between


@lru_cache(maxsize=1)
def _automaton() -> tuple[Any, re.Pattern[str] | None]:
    """Every lexicon term in one Aho–Corasick automaton (one pass over the text whatever the number
    of terms: a regex alternation per cue cost 3 ms per report); terms with a gap ("earn * per
    day") in one small regex."""
    automaton = ahocorasick.Automaton()
    gapped: list[str] = []
    for name, block in _LEXICON.items():
        for raw in (t.strip() for t in block.split("|")):
            if not raw:
                continue
            term = fold(raw)
            if " * " in term:
                body = _GAP.join(re.escape(w) for w in term.split(" * "))
                gapped.append(rf"(?P<{name}_{len(gapped)}>(?<!\w){body}(?!\w))")
                continue
            prefix = term.endswith("*")
            term = term.rstrip("*")
            entry = _Term(name, bounded=is_latin(term[0]), prefix=prefix)
            _, entries = automaton.get(term) if automaton.exists(term) else (0, ())
            automaton.add_word(term, (len(term), (*entries, entry)))
    automaton.make_automaton()
    return automaton, (re.compile("|".join(gapped)) if gapped else None)


# A request a warning repeats under a negation ("do not send the code", "jangan sebutkan kode").
_NEGATABLE = frozenset({"sends_code_back"})
_NEGATION = re.compile(r"(?:\b(?:not|never|don'?t|jangan|tidak|huwag|wag|khong|dung|nunca|nao|keta|labele)\b"
                       r"|ห้าม|อย่า|不要|请勿|勿|切勿)[^.!?\n]*$")


def _spans(automaton: Any, folded: str) -> dict[str, tuple[int, int]]:
    """Where each cue's lexicon first matches ``folded`` (longest term at its place)."""
    found: dict[str, tuple[int, int]] = {}
    for end, (length, entries) in automaton.iter(folded):
        for entry in entries:
            if entry.cue in found:
                continue
            start = end - length + 1
            stop = end + 1
            if entry.bounded:
                # "$pin" is a disguised "spin", not a PIN: $ and @ stand for letters inside words.
                if start > 0 and (folded[start - 1].isalnum() or folded[start - 1] in "$@"):
                    continue
                if entry.prefix:
                    while stop < len(folded) and folded[stop].isalnum():
                        stop += 1
                elif stop < len(folded) and (folded[stop].isalnum() or folded[stop] in "$@"):
                    continue
            if entry.cue in _NEGATABLE and _NEGATION.search(folded[max(0, start - 16):start]):
                continue  # "never send the code to anyone" is the warning, not the request
            found[entry.cue] = (start, stop)
    return found


def _lexicon_matches(text: str, folded: str) -> dict[str, str]:
    """The first (longest at its place) phrase of ``text`` matching each cue's lexicon, and
    ``disguised_words`` when a term was only found by reading look-alike digits and symbols."""
    automaton, gapped = _automaton()
    found = _spans(automaton, folded)
    if (undisguised := _undisguise(text, folded)) is not None:
        skeleton, words = _undisguise_automaton(), undisguised[1]
        for cue, (start, stop) in _spans(skeleton, undisguised[0]).items():
            hidden = next(((a, b) for a, b in words if a < stop and start < b), None)
            if hidden is not None and cue not in found:
                found[cue] = (start, stop)
                found.setdefault("disguised_words", hidden)
    phrases = {cue: text[start:stop].strip() for cue, (start, stop) in found.items()}
    if gapped:
        for match in gapped.finditer(folded):
            cue = (match.lastgroup or "").rsplit("_", 1)[0]
            phrases.setdefault(cue, text[match.start():match.end()])
    return phrases


# Letters written as look-alike digits or symbols to dodge filters: B0NUS, S!ot, CA$H, fr33, and a
# capital I for an l or a small l for an I (sIot, CASlNO). In such a word every i-or-l look-alike
# reads as "i", and the lexicon is read the same way (slot → siot), so either spelling matches.
_LOOKALIKES = str.maketrans("01!|3@4$5l", "oiiieaassi")
_WORDS = re.compile(r"\S+")
_PUNCTUATION = frozenset(",.;:?!()[]\"'")
_SYMBOL_IN_WORD = re.compile(r"[^\W\d_][0-9!|$@]|[0-9!|$@][^\W\d_]")
_I_FOR_L = re.compile(r"(?<=[a-z])I(?=[a-z])|(?<=[A-Z])l(?=[A-Z])")


def _undisguise(text: str, folded: str) -> tuple[str, list[tuple[int, int]]] | None:
    """``folded`` with its disguised words read as letters, and where those words are; None if
    there are none. Same length as ``folded``, so spans still map to the citizen's text."""
    chars: list[str] | None = None
    words: list[tuple[int, int]] = []
    for word in _WORDS.finditer(folded):
        # A word without the punctuation around it ("CASlNO," → CASlNO; "S!ot!" → S!ot).
        start, end = word.start(), word.end()
        while end > start and folded[end - 1] in _PUNCTUATION:
            end -= 1
        while start < end and folded[start] in _PUNCTUATION:
            start += 1
        token = folded[start:end]
        if sum(c.isalpha() for c in token) < 2:
            continue
        if _SYMBOL_IN_WORD.search(token) or _I_FOR_L.search(text[start:end]):
            chars = chars if chars is not None else list(folded)
            chars[start:end] = token.translate(_LOOKALIKES)
            words.append((start, end))
    return ("".join(chars), words) if chars is not None else None


@lru_cache(maxsize=1)
def _undisguise_automaton() -> Any:
    """The Latin-script lexicon with i and l read alike, matched against undisguised words."""
    automaton = ahocorasick.Automaton()
    base, _ = _automaton()
    for term, (length, entries) in base.items():
        latin = tuple(entry for entry in entries if entry.bounded)
        if latin:
            key = term.replace("l", "i")
            _, known = automaton.get(key) if automaton.exists(key) else (0, ())
            automaton.add_word(key, (length, (*known, *latin)))
    automaton.make_automaton()
    return automaton


# An account word, then (a few non-digits later, never a "+": that is a phone number) the digits.
# Latin words stand whole ("call back 03-2345 6789" has no "ac"); other scripts have no spaces.
_ACCOUNT_WORDS = re.compile(
    r"(?:(?<![a-z])(?:a/?c|acc|acct|account|akaun|rekening|rek|no\.? rek|norek|stk|so tai khoan|tai khoan|conta|bank|"
    r"maybank|cimb|bca|bri|bni|mandiri|bdo|bpi|gcash|vietcombank|techcombank|kbank|scb)(?![a-z])"
    r"|บัญชี|账号|账户|គណនី|ບັນຊີ|အကောင့်)"
    r"[^\d\n+]{0,20}\d[\d\s-]{6,20}\d")
_HYPHENATED_BRAND = re.compile(r"(?:secure|verify|verif|login|update|account|support|service|online|help|redeliver|"
                               r"claim|reward|bonus|promo|official)", re.IGNORECASE)
_THROWAWAY_TLDS = frozenset("top xyz vip cc win icu cyou buzz click link site online live shop store fun "
                            "rest club bet monster sbs cfd".split())
# Underlines, strike-throughs and other combining marks used to dodge filters (P͟U͟L͟A͟U͟W͟I͟N͟).
DECORATIONS = dict.fromkeys(map(ord, "\u0332\u0333\u035f\u0336\u0335\u0338\u20e3\ufe0f\u200b\u200c\u200d\u2060"))
# Indonesian, Thai and Filipino gambling sites are named a word plus a "lucky" number (PULAU777,
# Weton88, mbak4d2, Koreo138); styled or spaced letters are folded before this is tried.
_GAMBLING_BRAND = re.compile(r"(?<![\w.])[a-z]{3,}[+_-]?(?:77|777|88|888|99|999|4d\d?|138|168|303|69)(?![\d.])")
# The same shape with any number, counted only when written in styled letters (𝑺𝑼𝑯𝑼𝟑𝟐𝟖): a name
# dressed up to get past filters.
_STYLED_BRAND = re.compile(r"(?<![\w.])[a-z]{3,}[+_-]?\d{2,4}(?![\d.])")
# A telco's USSD service code (*137#, *218*6#): genuine marketing names one to opt out or subscribe.
_SERVICE_CODE = re.compile(r"\*\d{2,4}(?:\*\d{1,6})*#")
# A code word and the code itself, a few characters apart ("OTP 769098", "รหัสยืนยัน 438305",
# "G-946848 is your Google code"): a message that hands over a code; a thief asks for one instead.
_CODE_WORD = (r"(?:otp|one-time|passcode|code|kode|kod|tac|pin|ma xac|ma otp|codigo|senha|kodigu|รหัส|验证码|"
              r"校验码|动态码|លេខកូដ|ລະຫັດ|ကုဒ်)")
# (Thai writes the code against its words, "ของคุณ709090รหัส": only Latin letters and digits bound it.)
_CODE_VALUE = r"(?<![a-z0-9-])(?<!\d[ -])(?:[a-z]{1,3}-)?\d{4,8}(?![\d,.]\d|[a-z0-9]|[ -]\d)"
_GIVES_CODE = re.compile(rf"{_CODE_WORD}[^\n\d]{{0,40}}{_CODE_VALUE}|{_CODE_VALUE}[^\n\d]{{0,40}}{_CODE_WORD}")
_IP_HOST = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")


def link_cues(hosts: list[str]) -> list[str]:
    """Structural cues of the links' hosts (lower case, no scheme): link, shortener, look-alike/throw-away."""
    if not hosts:
        return []
    found = ["link"]
    if any(is_shortener(host) for host in hosts):
        found.append("short_link")
    for host in hosts:
        domain = registrable_domain(host) or host
        tld = domain.rsplit(".", 1)[-1]
        label = domain.split(".", 1)[0]
        if (_IP_HOST.match(host) or tld in _THROWAWAY_TLDS
                or ("-" in label and _HYPHENATED_BRAND.search(label)) or sum(c.isdigit() for c in label) >= 3):
            found.append("suspicious_link")
            break
    return found


def _styled(word: str) -> bool:
    """Written in Unicode's mathematical letters or digits (bold, italic, script, double-struck)."""
    return any("\U0001d400" <= char <= "\U0001d7ff" or "\u2100" <= char <= "\u214f" for char in word)


def find_cues(text: str) -> list[CueMatch]:
    """The lexicon cues found in ``text``, each with the citizen's own words that matched (first match)."""
    folded = fold(text)
    found = [CueMatch(name, phrase) for name, phrase in _lexicon_matches(text, folded).items()]
    if _ACCOUNT_WORDS.search(folded):
        found.append(CueMatch("account_number", ""))
    # Underlined or struck-through letters (P͟U͟L͟A͟U͟777) only hide a brand: read it without them.
    undecorated = folded.translate(DECORATIONS)
    aligned = len(undecorated) == len(folded)
    brand = _GAMBLING_BRAND.search(undecorated) or next(
        (m for m in _STYLED_BRAND.finditer(undecorated) if aligned and _styled(text[m.start():m.end()])), None)
    if brand:
        found.append(CueMatch("gambling_brand", text[brand.start():brand.end()] if aligned else brand.group(0)))
    if "opt_out" not in {cue.name for cue in found} and (code := _SERVICE_CODE.search(folded)):
        found.append(CueMatch("opt_out", code.group(0)))
    if _GIVES_CODE.search(folded):
        found.append(CueMatch("gives_code", ""))
    return found
